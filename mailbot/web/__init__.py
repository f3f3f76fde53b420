"""The office's console in a browser: overview, units, problems, corrections, downloads.

A Starlette app served by uvicorn (`mailbot serve`, or `mailbot run` with `[web] enabled`).
Pages are rendered on the server from templates/web/; there is no JavaScript. It reads
through the store and its actions take the same locks and code paths as the CLI.
"""
