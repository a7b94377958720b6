"""hoteldesk — back-office automation for a hotel reservation centre (预订中心)."""

__version__ = "0.1.0"
