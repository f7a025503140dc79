import Crypto
import Foundation
import SwathLabels

extension ClassifierModel {
    /// A model's id: `xgb-` and the first 16 hex digits of its booster's SHA-256.
    static func id(ofBooster json: [UInt8]) -> String {
        "xgb-" + SHA256.hash(data: json).map { String(format: "%02x", $0) }.joined().prefix(16)
    }

    /// A model folder read back: its metadata and XGBoost's model, checked against each other
    /// (the id is the booster's digest, so a swapped or edited booster is refused).
    public static func load(folder: String) throws -> (model: ClassifierModel, booster: [UInt8]) {
        let url = URL(fileURLWithPath: folder)
        let metadataURL = url.appendingPathComponent(metadataFile), boosterURL = url.appendingPathComponent(boosterFile)
        guard let metadata = FileManager.default.contents(atPath: metadataURL.path) else {
            throw ModelError("--model \(folder): no \(metadataFile) there (a folder written by `swath model train`)")
        }
        guard let booster = FileManager.default.contents(atPath: boosterURL.path) else {
            throw ModelError("--model \(folder): no \(boosterFile) there (a folder written by `swath model train`)")
        }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        let model: ClassifierModel
        do { model = try decoder.decode(ClassifierModel.self, from: metadata) } catch {
            throw ModelError("--model \(folder): \(metadataFile) is not a Swath model description")
        }
        guard model.format == format else { throw ModelError("--model \(folder): format \(model.format) is not \(format)") }
        guard model.id == id(ofBooster: Array(booster)) else {
            throw ModelError("--model \(folder): \(boosterFile) is not the booster model \(model.id) was trained as")
        }
        guard (0...16).contains(model.features.radius), model.features.scale.isFinite, model.features.scale > 0,
              model.features.offset.isFinite, (1...1000).contains(model.features.bands.bandCount) else {
            throw ModelError("--model \(folder): \(metadataFile) has features no scene can have (radius, scale, offset or band count)")
        }
        guard model.featureNames == model.features.names, (2...maximumClasses).contains(model.classes.count),
              model.classes.enumerated().allSatisfy({ $0.offset == $0.element.index }) else {
            throw ModelError("--model \(folder): \(metadataFile) is inconsistent (features or classes)")
        }
        return (model, Array(booster))
    }

    /// Refuses a scene or project the model was not trained for, naming both sides.
    public func checkApplies(to scene: Scene, taxonomy: Taxonomy) throws {
        let layout = BandLayout(scene)
        guard layout == features.bands else {
            throw ModelError("model \(id) was trained on \(features.bands); scene \(scene.id) has \(layout)")
        }
        let names = Dictionary(uniqueKeysWithValues: taxonomy.classes.map { ($0.id, $0.name) })
        let missing = classes.filter { !$0.isBackground && names[$0.classId] != $0.name }
        guard missing.isEmpty else {
            let modelClasses = classes.filter { !$0.isBackground }.map { "\($0.classId) \($0.name)" }.joined(separator: ", ")
            let projectClasses = missing.map { "\($0.classId) " + (names[$0.classId] ?? "(absent)") }.joined(separator: ", ")
            throw ModelError("model \(id) was trained on another taxonomy: its classes are \(modelClasses); "
                             + "the project has \(projectClasses)")
        }
    }
}
