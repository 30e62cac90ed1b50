from alliance_tui.start import main

raise SystemExit(main())
