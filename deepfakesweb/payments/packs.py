"""Credit packs from `DFW_CREDIT_PACKS` ("credits:cents,..."), e.g. 100 credits for $7.00 is "100:700"."""

from __future__ import annotations

from dataclasses import dataclass

from deepfakesweb.config import ConfigError

__all__ = ["Pack", "parse_packs", "find_pack"]


@dataclass(frozen=True)
class Pack:
    credits: int
    amount_cents: int

    @property
    def id(self) -> str:
        return str(self.credits)

    @property
    def label(self) -> str:
        return f"{self.credits} credits"

    def price(self, currency: str) -> str:
        symbol = {"usd": "$", "eur": "€", "gbp": "£"}.get(currency.lower())
        amount = f"{self.amount_cents / 100:,.2f}"
        return f"{symbol}{amount}" if symbol else f"{amount} {currency.upper()}"


def parse_packs(text: str) -> list[Pack]:
    packs = []
    for part in filter(None, (p.strip() for p in text.split(","))):
        credits, _, cents = part.partition(":")
        if not (credits.isdigit() and cents.isdigit()) or int(credits) <= 0 or int(cents) <= 0:
            raise ConfigError(f"DFW_CREDIT_PACKS: expected CREDITS:CENTS, got {part!r}")
        packs.append(Pack(int(credits), int(cents)))
    return packs


def find_pack(text: str, pack_id: str) -> Pack | None:
    return next((pack for pack in parse_packs(text) if pack.id == pack_id), None)
