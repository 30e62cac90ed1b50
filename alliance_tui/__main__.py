from alliance_tui.cli import main

raise SystemExit(main())
