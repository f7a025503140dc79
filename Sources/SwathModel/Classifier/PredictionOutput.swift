import Foundation
import SwathGeo
import SwathLabels

/// The files a prediction writes, staged under hidden names beside their final ones: tiled
/// GeoTIFFs filled strip by strip, then the probabilities copied to a COG (DEFLATE, overviews)
/// and each renamed into place whole. Nothing appears under a final name half-written.
final class PredictionOutput: @unchecked Sendable {
    let probabilities: Raster
    let features: Raster?
    private let probabilitiesPath: String
    private let featuresPath: String?
    private let staging: [String]

    init(probabilities path: String, features featuresPath: String?, scene: Scene, model: ClassifierModel, floatProbabilities: Bool) throws {
        let size = Size(width: scene.width, height: scene.height)
        let stage = { (path: String) -> String in
            let url = URL(fileURLWithPath: path)
            return url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).partial-\(UUID().uuidString).tif").path
        }
        // Blocks as tall as a strip: each strip fills whole blocks, none is written twice.
        let tiled = ["TILED=YES", "BLOCKXSIZE=512", "BLOCKYSIZE=\(PixelClassifierPredictor.stripRows)", "BIGTIFF=IF_SAFER", "INTERLEAVE=BAND"]
        probabilitiesPath = path
        self.featuresPath = featuresPath
        let probabilityStage = stage(path), featureStage = featuresPath.map(stage)
        staging = [probabilityStage, probabilityStage + ".cog"] + (featureStage.map { [$0] } ?? [])
        probabilities = try Raster.create(probabilityStage, driver: "GTiff", size: size, bandCount: model.classes.count,
                                          dataType: floatProbabilities ? .float32 : .byte, options: tiled)
        try Self.georeference(probabilities, scene)
        for modelClass in model.classes {
            try probabilities.setBandMetadata(modelClass.index + 1, noData: floatProbabilities ? Double.nan : Double(PredictionCanvas.byteNoData),
                                              description: "p(\(modelClass.name))", colorInterpretation: "Undefined")
            if !floatProbabilities { try probabilities.setBandScale(modelClass.index + 1, scale: 1 / Double(PredictionCanvas.byteScale)) }
        }
        if let featureStage {
            let raster = try Raster.create(featureStage, driver: "GTiff", size: size, bandCount: model.features.count, dataType: .float32,
                                           options: tiled + ["COMPRESS=ZSTD", "PREDICTOR=3"])
            try Self.georeference(raster, scene)
            for (index, name) in model.featureNames.enumerated() {
                try raster.setBandMetadata(index + 1, noData: Double.nan, description: name, colorInterpretation: "Undefined")
            }
            features = raster
        } else {
            features = nil
        }
    }

    static func georeference(_ raster: Raster, _ scene: Scene) throws {
        try raster.setGeoTransform(scene.transform)
        try raster.setCRS(scene.crs)
    }

    /// The probabilities as a COG, then every file renamed into place.
    func finish() throws {
        let staged = try Raster.open(staging[0])
        try Raster.createCopy(of: staged, to: staging[1], driver: "COG",
                              options: ["COMPRESS=DEFLATE", "BLOCKSIZE=512", "NUM_THREADS=ALL_CPUS", "BIGTIFF=IF_SAFER"])
        try staged.close()
        try FileManager.default.removeItem(atPath: staging[0])
        try Self.replace(probabilitiesPath, with: staging[1])
        if let featuresPath { try Self.replace(featuresPath, with: staging[2]) }
    }

    static func replace(_ path: String, with staged: String) throws {
        guard rename(staged, path) == 0 else {
            throw ModelError("could not move the prediction into place at \(path): \(String(cString: strerror(errno)))")
        }
    }

    /// After a failure: the staged files go, the final names are untouched.
    func discard() {
        try? probabilities.close()
        try? features?.close()
        for path in staging { try? FileManager.default.removeItem(atPath: path) }
    }
}
