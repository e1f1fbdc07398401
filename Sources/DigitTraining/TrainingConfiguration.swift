// What one training run is asked for. The caller checks the ranges; the run checks only what
// needs the data (that the digits leave enough to train on after the holdout).
import ConvNet
import Synth

public struct TrainingConfiguration: Sendable {
    /// May hold the training-only layers bn and drop<rate>, folded away before the model is written.
    public var architecture: String
    /// The seed also seeds the weights, the augmentation and the scans.
    public var options: TrainingOptions
    /// The last training digits, kept aside to fit the temperature on.
    public var holdout: Int
    /// Scale of all augmentations, 0 for none.
    public var strength: Float
    /// Train on only the first this many digits, for a quick trial.
    public var limit: Int?
    /// Scans written with the training digits, whose cells join the training set.
    public var scanPages: Int
    /// Scans written with the held-out digits, whose cells the temperature is fitted on.
    public var scanHoldoutPages: Int
    public var scanWriters: Writers
    public var data: DigitData
    /// The manifest goes beside it.
    public var out: String
    public var engineVersion: String

    public init(architecture: String, options: TrainingOptions, holdout: Int, strength: Float, limit: Int?,
                scanPages: Int, scanHoldoutPages: Int, scanWriters: Writers, data: DigitData, out: String, engineVersion: String) {
        self.architecture = architecture
        self.options = options
        self.holdout = holdout
        self.strength = strength
        self.limit = limit
        self.scanPages = scanPages
        self.scanHoldoutPages = scanHoldoutPages
        self.scanWriters = scanWriters
        self.data = data
        self.out = out
        self.engineVersion = engineVersion
    }
}
