// --writers and --scan-writers: the Synth writer models as a command-line value.
import ArgumentParser
import Synth

extension Writers: ExpressibleByArgument {
    static let helpText = "mnist (MNIST digits), strokes (the pen-trajectory model of European digit forms, one hand per page) or mixed (half the pages each)."
}
