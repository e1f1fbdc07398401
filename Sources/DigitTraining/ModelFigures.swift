// The figures a manifest records for a model, a single network being a committee of one:
// accuracy and calibration, and the calibration before the temperature that was fitted.
import ConvNet
import MNIST

extension ModelManifest.Figures {
    init(_ model: Ensemble, samples: [Float], labels: [Int]) {
        let evaluation = Evaluation(network: model, samples: samples, labels: labels)
        var raw = model
        raw.temperature = 1
        let before = Evaluation(network: raw, samples: samples, labels: labels)
        self.init(count: evaluation.count, correct: evaluation.correct, accuracy: evaluation.accuracy,
                  ece: evaluation.ece, eceBeforeTemperature: before.ece)
    }

    init(_ model: Ensemble, _ set: MNISTSet) {
        let data = set.normalizedSamples(0..<set.count)
        self.init(model, samples: data.samples, labels: data.labels)
    }

    /// On MNIST test, when `directory` holds it.
    static func mnistTest(_ model: Ensemble, directory: String) throws -> Self? {
        guard !DataHashes.mnistTestFiles(directory).isEmpty else { return nil }
        return Self(model, try MNISTSet(directory: directory, prefix: "t10k"))
    }
}

extension ModelManifest.Subset {
    static func bundled(_ model: Ensemble, _ subset: DigitData.BundledSubset?) throws -> Self? {
        guard let subset else { return nil }
        return Self(path: subset.path, selection: "MNIST test digits 0, 5, 10, …, 9995",
                    figures: .init(model, try MNISTSet(directory: subset.directory, prefix: "t10k")))
    }
}
