import SwathQuality

/// The kinds of misconduct the simulation plays, and the flag that should catch each.
public enum DishonestKind: String, CaseIterable, Sendable {
    /// Pastes outlines from earlier tasks into new ones.
    case copier
    /// Draws roughly right, faster than a person can click.
    case speeder
    /// Pairs who hand in the same work when they land on the same task.
    case colluder
    /// Submits model pre-labels unchanged as their own work.
    case rubberStamper = "rubber_stamper"
    /// One polygon over the whole tile, whatever is in it.
    case wholeTileDrawer = "whole_tile_drawer"

    public var expectedFlag: IntegrityFlag.Kind {
        switch self {
        case .copier: return .copiedGeometry
        case .speeder: return .implausibleSpeed
        case .colluder: return .collusion
        case .rubberStamper: return .uneditedPrelabel
        case .wholeTileDrawer: return .degenerateWork
        }
    }
}
