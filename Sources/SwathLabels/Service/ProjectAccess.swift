/// Who is asking, and what they may do in one project.
struct ProjectAccess: Sendable {
    let user: User
    let roles: Set<Role>

    var isAdmin: Bool { user.isAdmin }
    var isMember: Bool { isAdmin || !roles.isEmpty }
    var seesCustomer: Bool { isAdmin || roles.contains(where: \.seesCustomer) }

    func has(_ wanted: Role...) -> Bool { has(any: wanted) }

    private func has(any wanted: [Role]) -> Bool { isAdmin || !roles.isDisjoint(with: wanted) }

    /// 403 naming the roles that would do.
    func require(_ wanted: Role..., to action: String) throws {
        try require(wanted, to: action)
    }

    func require(_ wanted: [Role], to action: String) throws {
        guard has(any: wanted) else {
            let names = wanted.map(\.rawValue).joined(separator: " or ")
            throw LabelingError.forbidden("\(action) needs the \(names) role in this project")
        }
    }

    /// Training data (exports, chips, wildfire stacks): trainers and managers, and trainers
    /// from accepted labels only.
    func requireTrainingData(statuses: Set<TaskStatus>, to action: String) throws {
        try require(.trainer, .manager, to: action)
        if !has(.manager), statuses != [.accepted] {
            throw LabelingError.forbidden("trainers export accepted labels only")
        }
    }
}
