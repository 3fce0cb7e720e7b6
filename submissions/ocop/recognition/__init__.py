"""The province's decision on a list of products, the national one for five stars, certificates and reminders."""
