// MNIST digits as the network sees them: every digit goes through the same normalisation the
// form reader applies to a cell it cut out of a scan (DigitNormalizer), clean or augmented.
import BlankettSupport
import DigitImage

extension MNISTSet {
    /// The normalised digit `index` written into `out` (784 floats).
    public func normalized(_ index: Int, into out: UnsafeMutablePointer<Float>) {
        let clean = InkImage(mnist: image(index), side: Self.side)
        let digit = DigitNormalizer.normalize(clean) ?? clean.ink
        out.update(from: digit, count: digit.count)
    }

    /// An augmented, normalised version of digit `index`, the same for the same (seed, epoch, index).
    public func augmented(_ index: Int, epoch: Int, seed: UInt64, augmenter: DigitAugmenter, into out: UnsafeMutablePointer<Float>) {
        var rng = SeededGenerator(seed: seed).derived(UInt64(epoch) << 32 | UInt64(index))
        let clean = InkImage(mnist: image(index), side: Self.side)
        if let digit = DigitNormalizer.normalize(augmenter.cell(from: clean, using: &rng)) {
            out.update(from: digit, count: digit.count)
        } else {
            normalized(index, into: out)
        }
    }

    /// Normalised samples and labels for `indices`, laid end to end.
    public func normalizedSamples(_ indices: Range<Int>) -> (samples: [Float], labels: [Int]) {
        let size = Self.side * Self.side
        var samples = [Float](repeating: 0, count: indices.count * size)
        samples.withUnsafeMutableBufferPointer { buffer in
            for (row, index) in indices.enumerated() { normalized(index, into: buffer.baseAddress! + row * size) }
        }
        return (samples, indices.map { Int(labels[$0]) })
    }
}
