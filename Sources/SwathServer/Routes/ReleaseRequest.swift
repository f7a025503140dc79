import SwathExport

/// `POST /projects/{id}/releases`: a name and the export options (as for an export job).
struct ReleaseRequest: Decodable {
    var name: String
    var options: ExportRequest

    enum CodingKeys: String, CodingKey { case name }

    init(from decoder: any Decoder) throws {
        name = try decoder.container(keyedBy: CodingKeys.self).decode(String.self, forKey: .name)
        options = try ExportRequest(from: decoder)
    }
}
