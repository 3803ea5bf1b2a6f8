"""Stripe Checkout purchases of credit packs and the webhook that completes them."""
