import Foundation
import SwathGeo

/// Burned ground as an analyst labeled it on one scene: when (the scene's acquisition time) and where, in
/// the CRS every burn of one dataset shares.
public struct DatedBurn: Sendable {
    public var time: Date
    public var shape: MultiPolygon
    public var sceneId: Int64

    public init(time: Date, shape: MultiPolygon, sceneId: Int64) {
        (self.time, self.shape, self.sceneId) = (time, shape, sceneId)
    }
}
