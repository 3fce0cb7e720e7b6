"""What OCOP publishes and reports: the products API, statistics by stars, group, commune and producer."""
