package runtime

// SupportPackageIsVersion1 is referenced by generated code
// (`const _ = runtime.SupportPackageIsVersion1`) so that a generated package
// built against a runtime that no longer speaks its contract fails at compile
// time, not at run time. Bump the number, and keep the old constant only while
// the old contract is still served, whenever the Profile/Operation contract
// changes incompatibly.
const SupportPackageIsVersion1 = true

// Version is the runtime's semantic version, reported in logs.
const Version = "0.1.0"
