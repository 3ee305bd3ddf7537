from retention.cli import main

raise SystemExit(main())
