from backtui.cli import main

raise SystemExit(main())
