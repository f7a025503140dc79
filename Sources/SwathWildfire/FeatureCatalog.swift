import Foundation
import SwathGeo

/// `features.json`: every band with its formula and units, the inputs, and
/// the files written. Written last, atomically: its presence means the
/// stacks beside it are complete.
struct FeatureCatalog {
    let plan: FeaturePlan
    let post: SceneInput
    let pre: SceneInput?
    let dem: String?
    let options: WildfireOptions
    let files: [String]
    let grid: Size
    let crs: CRS
    let transform: GeoTransform

    func write(to folder: URL) throws {
        let bands: [JSONValue] = plan.features.enumerated().map { index, feature in
            .object(["band": .number(Double(index + 1)), "name": .string(feature.name), "formula": .string(feature.formula),
                     "units": .string(feature.units), "group": .string(feature.group.rawValue)])
        }
        var inputs: [String: JSONValue] = ["post": .string(post.label)]
        if let pre { inputs["pre"] = .string(pre.label) }
        if let dem { inputs["dem"] = .string(dem) }
        let document: JSONValue = .object([
            "bands": .array(bands),
            "dataType": .string("Float32"),
            "noData": .number(Double(WildfireFeature.noData)),
            "reflectance": .string("DN × \(options.scale) + \(options.offset)"),
            "inputs": .object(inputs),
            "crs": .string(crs.wkt),
            "geoTransform": .array(transform.coefficients.map(JSONValue.number)),
            "size": .array([.number(Double(grid.width)), .number(Double(grid.height))]),
            "chipSize": .number(Double(options.chipSize)),
            "files": .array(files.map(JSONValue.string)),
            "edges": .string("terrain features are nodata on the scene's outer pixels and next to DEM nodata, as gdaldem leaves them"),
        ])
        let final = folder.appendingPathComponent("features.json")
        try Data(document.serialized).write(to: final, options: .atomic)
    }
}
