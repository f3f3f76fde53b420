from mailbot.cli.main import main

raise SystemExit(main())
