// Loading the register from disk: only a regular file, its permissions reported, its path masked.
import BlankettSupport
import FieldRules
import FormReader
import Foundation
import XCTest

final class RegisterFileTests: XCTestCase {
    private let directory = NSTemporaryDirectory() + "/blankett-register-\(UUID().uuidString)"

    override func setUpWithError() throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    override func tearDown() { try? FileManager.default.removeItem(atPath: directory) }

    func testPermissionsAreReported() throws {
        let path = directory + "/register.txt"
        let number = [1, 9, 3, 4, 0, 5, 1, 2, 1, 2, 3]
        let text = number.map(String.init).joined() + String(Personnummer.luhnDigit(number[2...])) + "\n"
        for (mode, open) in [(0o600, false), (0o640, false), (0o644, true)] {
            XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data(text.utf8), attributes: [.posixPermissions: mode]))
            try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
            let loaded = try MailingRegister.load(path, policy: .pm7001)
            XCTAssertEqual(loaded.register.count, 1)
            XCTAssertEqual(loaded.worldReadable, open, String(mode, radix: 8))
        }
    }

    func testOnlyARegularFileIsARegisterAndThePathIsMasked() throws {
        let named = directory + "/193405121236"
        XCTAssertEqual(mkfifo(named + ".fifo", 0o600), 0)
        try FileManager.default.createDirectory(atPath: named + ".dir", withIntermediateDirectories: false)
        for (path, code) in [(named + ".fifo", "register_not_a_file"), (named + ".dir", "register_not_a_file"),
                             (named + ".missing", "register_not_found")] {
            XCTAssertThrowsError(try MailingRegister.load(path, policy: .pm7001)) { error in
                let e = error as? BlankettError
                XCTAssertEqual(e?.code, code, path)
                XCTAssertFalse(e?.message.contains("193405121236") ?? true, e?.message ?? "")
            }
        }
    }
}
