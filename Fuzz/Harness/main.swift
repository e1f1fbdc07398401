// The libFuzzer harness, built only by benchmarks/fuzz.sh (BLANKETT_FUZZ=1, -sanitize=fuzzer,address).
// SwiftPM makes an executable's top-level code its main, so libFuzzer's own main never runs: this
// code hands the command line to libFuzzer's driver instead. A failure of the target is a crash
// for libFuzzer, which then saves the input.
import CLibFuzzer
import FuzzTargets
#if canImport(Glibc)
import Glibc
#endif

@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let name = getenv("BLANKETT_FUZZ_TARGET").map { String(cString: $0) } ?? ""
    guard let target = FuzzTargets.all[name] else {
        fatalError("BLANKETT_FUZZ_TARGET is '\(name)'; one of \(FuzzTargets.all.keys.sorted())")
    }
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    do { try target(bytes) } catch { fatalError("\(error)") }
    return 0
}

var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv, testOneInput))
