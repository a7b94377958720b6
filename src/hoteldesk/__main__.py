from hoteldesk.cli import main

raise SystemExit(main())
