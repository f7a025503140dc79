import SwathExport
import SwathModel

/// `POST /scenes/{id}/prelabels/burn-scars`: every field optional; whole numbers converted exactly.
struct BurnScarRequest: Decodable {
    var preSceneId: Int64?
    var thresholds: [Double]?
    var mmuHectares: Double?
    var scale: Double?
    var offset: Double?

    enum CodingKeys: String, CodingKey { case preSceneId, thresholds, mmuHectares, scale, offset }

    init(from decoder: any Decoder) throws {
        let values = try decoder.container(keyedBy: CodingKeys.self)
        preSceneId = try values.decodeWholeIfPresent(forKey: .preSceneId).map(Int64.init)
        thresholds = try values.decodeIfPresent([Double].self, forKey: .thresholds)
        mmuHectares = try values.decodeIfPresent(Double.self, forKey: .mmuHectares)
        scale = try values.decodeIfPresent(Double.self, forKey: .scale)
        offset = try values.decodeIfPresent(Double.self, forKey: .offset)
    }

    func options() throws -> BurnScarOptions {
        var options = BurnScarOptions()
        options.thresholds = thresholds ?? options.thresholds
        options.minimumMappingUnitHectares = mmuHectares ?? options.minimumMappingUnitHectares
        options.scale = scale ?? options.scale
        options.offset = offset ?? options.offset
        try options.validate()
        return options
    }
}
