"""Command handlers and the adapters that carry them: Telegram and the terminal chat.

A command's logic is written once, in `bot.commands`: a parsed `Command` in, a `Reply`
(Telegram HTML plus optional buttons) out. Adapters only transport and render.
"""
