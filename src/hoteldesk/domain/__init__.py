"""Pure model of the reservation centre: orders, hotels, states, rules. Standard library only."""
