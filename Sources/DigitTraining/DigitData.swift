// Where the digits a model is trained and measured on are. The caller finds them (the command
// line looks beside the executable, a test in its fixtures); the library reads only what it is given.
public struct DigitData: Sendable {
    /// A folder with the MNIST IDX files.
    public var mnist: String
    /// The form template the scan cells are written on; its blank is beside it.
    public var template: String
    /// The MNIST test digits bundled with the repository, when they were found.
    public var bundledSubset: BundledSubset?

    public init(mnist: String, template: String, bundledSubset: BundledSubset? = nil) {
        self.mnist = mnist
        self.template = template
        self.bundledSubset = bundledSubset
    }

    public struct BundledSubset: Sendable {
        /// Where it was found on this machine.
        public var directory: String
        /// As the manifest names it: relative to the repository, the same on every machine.
        public var path: String

        public init(directory: String, path: String) {
            self.directory = directory
            self.path = path
        }
    }
}
