import Foundation
import Testing
import SwathGeo
import SwathTestSupport
@testable import SwathTiling

/// Runs the tiler on a fixture into a fresh folder.
func tile(_ fixture: String, in dir: TemporaryDirectory, configure: (inout TileOptions) -> Void = { _ in }) throws -> TileReport {
    var options = TileOptions()
    options.threads = 2
    configure(&options)
    return try Tiler(source: Fixture.path(fixture), outDir: dir.url, options: options).run()
}

/// index.geojson parsed.
func loadIndex(_ dir: TemporaryDirectory) throws -> [String: Any] {
    let data = try Data(contentsOf: dir.url.appendingPathComponent("index.geojson"))
    return try JSONSerialization.jsonObject(with: data) as! [String: Any]
}

func features(_ index: [String: Any]) -> [[String: Any]] {
    index["features"] as! [[String: Any]]
}

func properties(_ feature: [String: Any]) -> [String: Any] {
    feature["properties"] as! [String: Any]
}

/// Files in a folder, hidden ones included.
func listing(_ dir: TemporaryDirectory) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
}

func expectSameSamples<T: Equatable>(_ ours: [T], _ reference: [T], _ label: String,
                                     sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(ours.count == reference.count, "\(label): sample counts differ", sourceLocation: sourceLocation)
    if let index = zip(ours, reference).enumerated().first(where: { $0.element.0 != $0.element.1 })?.offset {
        Issue.record("\(label): first difference at sample \(index): \(ours[index]) vs \(reference[index])",
                     sourceLocation: sourceLocation)
    }
}

func signedArea(_ ring: [[Double]]) -> Double {
    zip(ring, ring.dropFirst()).reduce(0) { $0 + ($1.0[0] * $1.1[1] - $1.1[0] * $1.0[1]) }
}
