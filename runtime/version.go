package runtime

// Version is the runtime's semantic version, reported in logs.
const Version = "0.1.0"
