// The only file that touches Tesseract. One TessBaseAPI per recognizer, owned by this final class
// and ended in deinit; a recognizer is not thread-safe, so each worker owns its own. Tesseract
// reads printed text (the form code in the header) and is the peer the benchmark compares the
// digit network against; it is kept off the digit hot path because it is slow and weak on
// handwriting.
import BlankettSupport
import CTesseract
import Foundation

public final class TextRecognizer {
    public enum Mode: Sendable {
        case singleLine, singleCharacter, block

        var psm: TessPageSegMode {
            switch self {
            case .singleLine: PSM_SINGLE_LINE
            case .singleCharacter: PSM_SINGLE_CHAR
            case .block: PSM_SINGLE_BLOCK
            }
        }
    }

    private let handle: OpaquePointer

    /// - Parameters:
    ///   - language: a traineddata name, e.g. "swe" (Debian: tesseract-ocr-swe).
    ///   - whitelist: the only characters Tesseract may answer with, e.g. "0123456789".
    public init(language: String, dataPath: String? = nil, whitelist: String? = nil) throws {
        guard let handle = TessBaseAPICreate() else {
            throw BlankettError("tesseract_unavailable", "cannot create a Tesseract instance")
        }
        self.handle = handle
        // On failure deinit still runs (self is fully initialised) and frees the handle.
        guard TessBaseAPIInit3(handle, dataPath, language) == 0 else {
            throw BlankettError("tesseract_unavailable",
                                "cannot load Tesseract language '\(language)' (install tesseract-ocr-\(language))")
        }
        // Tesseract prints warnings (e.g. an estimated resolution) to stderr; keep the CLI's output clean.
        TessBaseAPISetVariable(handle, "debug_file", "/dev/null")
        if let whitelist { TessBaseAPISetVariable(handle, "tessedit_char_whitelist", whitelist) }
    }

    deinit {
        TessBaseAPIEnd(handle)
        TessBaseAPIDelete(handle)
    }

    /// Recognises 8-bit grey pixels (255 = paper), row-major with `width` bytes per row.
    public func recognize(_ pixels: [UInt8], width: Int, height: Int, dpi: Int, mode: Mode) -> (text: String, confidence: Int) {
        precondition(pixels.count >= width * height && width > 0 && height > 0)
        TessBaseAPISetPageSegMode(handle, mode.psm)
        pixels.withUnsafeBufferPointer {
            TessBaseAPISetImage(handle, $0.baseAddress, Int32(width), Int32(height), 1, Int32(width))
        }
        TessBaseAPISetSourceResolution(handle, Int32(dpi))
        defer { TessBaseAPIClear(handle) }
        guard TessBaseAPIRecognize(handle, nil) == 0, let raw = TessBaseAPIGetUTF8Text(handle) else { return ("", 0) }
        defer { TessDeleteText(raw) }
        return (String(cString: raw).trimmingCharacters(in: .whitespacesAndNewlines), Int(TessBaseAPIMeanTextConf(handle)))
    }
}
