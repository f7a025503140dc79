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
    /// Pastes a busy earlier tile's outlines, each vertex jittered by 1.5–2 px, started elsewhere, a vertex
    /// dropped, the whole moved by up to 3 px: what dodges the exact fingerprint.
    case jitteringCopier = "jittering_copier"
    /// Thresholds the tile's imagery and hands in GDAL's polygonize of it as drawn by hand.
    case scriptUser = "script_user"
    /// The same, simplified by 0.5–2 px first.
    case scriptSimplifier = "script_simplifier"
    /// Pastes the buildings of a public-like reference layer (the customer paid for fresh drawing), moved by up to 2 px.
    case referencePaster = "reference_paster"
    /// Works well on the first tasks and on gold, then stops trying: whole-tile polygons,
    /// or pre-labels handed in unchanged and empty tiles where none were offered.
    case sleeper

    public var expectedFlag: IntegrityFlag.Kind {
        switch self {
        case .copier: return .copiedGeometry
        case .speeder: return .implausibleSpeed
        case .colluder: return .collusion
        case .rubberStamper: return .uneditedPrelabel
        case .wholeTileDrawer: return .degenerateWork
        case .jitteringCopier: return .copiedGeometry
        case .scriptUser, .scriptSimplifier: return .machineMade
        case .referencePaster: return .copiedReference
        case .sleeper: return .qualityShift
        }
    }
}
