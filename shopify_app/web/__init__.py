"""Endpoints: guard, one service call, response. No ORM, httpx or crypto here."""
