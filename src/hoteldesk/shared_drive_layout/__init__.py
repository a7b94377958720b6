"""Where every file of the drive lives, as pure functions."""

from hoteldesk.shared_drive_layout.paths import DriveLayout

__all__ = ["DriveLayout"]
