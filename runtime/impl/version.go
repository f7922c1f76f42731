package impl

// SupportPackageIsVersion1 is referenced by generated code
// (`const _ = impl.SupportPackageIsVersion1`) so that a generated package
// built against a runtime that no longer speaks its contract fails at compile
// time, not at run time. Bump the number, and keep the old constant only while
// the old contract is still served, whenever the contract between generated
// code and packages runtime and impl (the descriptors here, the methods
// generated code calls on runtime.Client) changes incompatibly.
const SupportPackageIsVersion1 = true
