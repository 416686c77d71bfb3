"""Command handlers and the adapters that carry them: Telegram and the terminal chat.

A command's logic is written once, in a handler module (`bot.commands`, `bot.subscriptions`,
`bot.feeds`, …: the list is `bot.handlers.HANDLER_MODULES`): a parsed `Command` in, a `Reply`
(Telegram HTML plus optional buttons) out. Handlers register with `bot.registry.command`;
adapters call `bot.handlers.dispatch`, and only transport and render.
"""
