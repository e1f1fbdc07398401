// Misread scan cells as PNG files at 4×, so that a person can see what the network was given;
// the name holds the cell's index, the true digit, the digit read and the confidence.
import ConvNet
import DigitImage
import Foundation
import PageImage
import ScanCells

enum MisreadCells {
    static func write(_ evaluation: Evaluation, cells: ScanCells, to folder: String) throws {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let side = 28, scale = 4, big = side * scale
        for (i, label) in cells.labels.enumerated() where evaluation.predictions[i] != Int(label) {
            let ink = (0..<big * big).map { cells.samples[i * side * side + ($0 / big / scale) * side + ($0 % big) / scale] }
            let name = String(format: "%05d-true%d-read%d-%.4f.png", i, label, evaluation.predictions[i], evaluation.confidences[i])
            try PNGCodec.write(InkImage(width: big, height: big, ink: ink).grey, to: (folder as NSString).appendingPathComponent(name))
        }
    }
}
