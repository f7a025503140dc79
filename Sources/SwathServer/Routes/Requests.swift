import SwathQuality
import SwathLabels

/// Request bodies, decoded strictly: a missing or mistyped field is a 400.
struct CreateProjectRequest: Decodable {
    var customer: String
    var codename: String
    var taxonomy: Taxonomy?
    var settings: SettingsChange

    enum CodingKeys: String, CodingKey { case customer, codename, taxonomy }

    /// The settings sit beside the other fields (`"tileSize": 256`), as in a settings change.
    init(from decoder: any Decoder) throws {
        let values = try decoder.container(keyedBy: CodingKeys.self)
        customer = try values.decode(String.self, forKey: .customer)
        codename = try values.decode(String.self, forKey: .codename)
        taxonomy = try values.decodeIfPresent(Taxonomy.self, forKey: .taxonomy)
        settings = try SettingsChange(from: decoder)
    }

    var draft: ProjectDraft {
        ProjectDraft(customer: customer, codename: codename, taxonomy: taxonomy ?? .standard, settings: settings.applied(to: ProjectSettings()))
    }
}

/// Settings to change; absent fields keep their value.
struct SettingsChange: Decodable {
    var tileSize: Int?
    var overlap: Int?
    var leaseSeconds: Int?
    var labelsPerTask: Int?
    var agreementThreshold: Double?
    var goldRate: Double?
    var goldAccuracyThreshold: Double?
    var goldWindow: Int?
    var goldMinimum: Int?
    var queueOrder: QueueOrder?
    var goldRateCeiling: Double?
    var riskWeights: RiskWeights?
    var auditRiskThreshold: Double?
    var auditShare: Double?
    /// Present and null: switched off; absent: kept.
    var qualification: QualificationSettings??
    var pay: PayRates??

    enum CodingKeys: String, CodingKey {
        case tileSize, overlap, leaseSeconds, labelsPerTask, agreementThreshold, goldRate, goldAccuracyThreshold, goldWindow, goldMinimum,
             queueOrder, goldRateCeiling, riskWeights, auditRiskThreshold, auditShare, qualification, pay
    }

    init(from decoder: any Decoder) throws {
        let values = try decoder.container(keyedBy: CodingKeys.self)
        tileSize = try values.decodeIfPresent(Int.self, forKey: .tileSize)
        overlap = try values.decodeIfPresent(Int.self, forKey: .overlap)
        leaseSeconds = try values.decodeIfPresent(Int.self, forKey: .leaseSeconds)
        labelsPerTask = try values.decodeIfPresent(Int.self, forKey: .labelsPerTask)
        agreementThreshold = try values.decodeIfPresent(Double.self, forKey: .agreementThreshold)
        goldRate = try values.decodeIfPresent(Double.self, forKey: .goldRate)
        goldAccuracyThreshold = try values.decodeIfPresent(Double.self, forKey: .goldAccuracyThreshold)
        goldWindow = try values.decodeIfPresent(Int.self, forKey: .goldWindow)
        goldMinimum = try values.decodeIfPresent(Int.self, forKey: .goldMinimum)
        queueOrder = try values.decodeIfPresent(QueueOrder.self, forKey: .queueOrder)
        goldRateCeiling = try values.decodeIfPresent(Double.self, forKey: .goldRateCeiling)
        riskWeights = try values.decodeIfPresent(RiskWeights.self, forKey: .riskWeights)
        auditRiskThreshold = try values.decodeIfPresent(Double.self, forKey: .auditRiskThreshold)
        auditShare = try values.decodeIfPresent(Double.self, forKey: .auditShare)
        qualification = try Self.clearable(values, .qualification)
        pay = try Self.clearable(values, .pay)
    }

    private static func clearable<T: Decodable>(_ values: KeyedDecodingContainer<CodingKeys>, _ key: CodingKeys) throws -> T?? {
        guard values.contains(key) else { return nil }
        return try values.decodeNil(forKey: key) ? .some(nil) : .some(try values.decode(T.self, forKey: key))
    }

    func applied(to settings: ProjectSettings) -> ProjectSettings {
        var changed = settings
        changed.tileSize = tileSize ?? settings.tileSize
        changed.overlap = overlap ?? settings.overlap
        changed.leaseSeconds = leaseSeconds ?? settings.leaseSeconds
        changed.labelsPerTask = labelsPerTask ?? settings.labelsPerTask
        changed.agreementThreshold = agreementThreshold ?? settings.agreementThreshold
        changed.goldRate = goldRate ?? settings.goldRate
        changed.goldAccuracyThreshold = goldAccuracyThreshold ?? settings.goldAccuracyThreshold
        changed.goldWindow = goldWindow ?? settings.goldWindow
        changed.goldMinimum = goldMinimum ?? settings.goldMinimum
        changed.queueOrder = queueOrder ?? settings.queueOrder
        // Raising goldRate past the ceiling without naming one raises the ceiling with it; naming both inconsistently is refused.
        changed.goldRateCeiling = goldRateCeiling ?? max(settings.goldRateCeiling, changed.goldRate)
        changed.riskWeights = riskWeights ?? settings.riskWeights
        changed.auditRiskThreshold = auditRiskThreshold ?? settings.auditRiskThreshold
        changed.auditShare = auditShare ?? settings.auditShare
        changed.qualification = qualification ?? settings.qualification
        changed.pay = pay ?? settings.pay
        return changed
    }
}

struct CreateUserRequest: Decodable {
    var name: String
    var admin: Bool?
}

struct CreatedUser: Encodable {
    var id: UserID
    var name: String
    var admin: Bool
    /// Shown once; only its hash is kept.
    var token: String
}

struct IssuedToken: Encodable {
    var userId: UserID
    var token: String
}

struct AddMemberRequest: Decodable {
    var userId: UserID
    var role: Role
}

struct ReviewRequest: Decodable {
    var decision: ReviewDecision
    var comment: String?
}

struct Me: Encodable {
    var id: UserID
    var name: String
    var admin: Bool
    var projects: [ProjectView]
}
