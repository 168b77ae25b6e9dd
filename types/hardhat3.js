// Types only (types/hardhat3.d.ts): importing this module does nothing at run time.
