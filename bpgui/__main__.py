from bpgui.cli import main

raise SystemExit(main())
