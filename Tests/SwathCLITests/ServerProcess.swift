import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import SwathTestSupport

/// The real `swath serve` on 127.0.0.1 and a free port, stopped by the test.
final class ServerProcess: @unchecked Sendable {
    let process = Process()
    let port: Int
    let database: String
    private let output = Pipe()

    init(database: String, environment: [String: String] = [:], arguments: [String] = []) throws {
        self.database = database
        process.executableURL = URL(fileURLWithPath: Fixture.swathBinary)
        process.arguments = ["serve", "--db", database, "--host", "127.0.0.1", "--port", "0"] + arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        port = try Self.waitForPort(output.fileHandleForReading)
    }

    /// Reads stdout until the "listening on http://127.0.0.1:PORT" line.
    private static func waitForPort(_ handle: FileHandle) throws -> Int {
        var text = ""
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            let chunk = handle.availableData
            if chunk.isEmpty { break }  // the server exited
            text += String(decoding: chunk, as: UTF8.self)
            if let range = text.range(of: "listening on http://127.0.0.1:") {
                let digits = text[range.upperBound...].prefix { $0.isNumber }
                if let port = Int(digits), text[range.upperBound...].contains(" ") { return port }
            }
        }
        throw GDALTools.Failure(description: "swath serve did not start: \(text)")
    }

    var base: String { "http://127.0.0.1:\(port)" }

    func terminate() -> Int32 {
        process.terminate()
        process.waitUntilExit()
        return process.terminationStatus
    }

    func kill() {
        Foundation.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    deinit {
        if process.isRunning { kill() }
    }
}

/// One HTTP call over loopback; returns the status and the parsed JSON body.
func http(_ method: String, _ url: String, token: String? = nil, json: Any? = nil) async throws -> (status: Int, body: Any?) {
    var request = URLRequest(url: URL(string: url)!)
    request.httpMethod = method
    request.timeoutInterval = 30
    if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
    if let json {
        request.httpBody = try JSONSerialization.data(withJSONObject: json)
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
    }
    let (data, response) = try await URLSession.shared.data(for: request)
    let status = (response as! HTTPURLResponse).statusCode
    return (status, data.isEmpty ? nil : try? JSONSerialization.jsonObject(with: data))
}

/// `swath admin create-user` and its printed token.
func createUser(_ database: String, _ name: String, admin: Bool = false) throws -> (id: Int, token: String) {
    let result = try swath(["admin", "create-user", "--db", database, "--name", name] + (admin ? ["--admin"] : []))
    let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as! [String: Any]
    return (object["id"] as! Int, object["token"] as! String)
}

func square(_ x: Double, _ y: Double, _ size: Double) -> [[Double]] {
    [[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]
}
