"""How a visitor gets in: the proxy guard, link redemption, sessions and spent links."""
