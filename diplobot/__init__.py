"""Diplobot: Vietnamese diplomatic news, summarized and tagged, answered in Telegram."""

__version__ = "0.1.0"
