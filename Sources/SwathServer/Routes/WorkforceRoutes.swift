import Foundation
import Hummingbird
import SwathGeo
import SwathLabels

/// The workforce: standing and qualification, an annotator's own page and
/// earnings, payroll and payouts, remediation, cohorts (admins).
struct WorkforceRoutes {
    let service: LabelingService

    func register(on api: RouterGroup<SwathRequestContext>) {
        registerStanding(on: api)
        registerPay(on: api)
        api.post("projects/{id}/remediations") { request, context in
            try await service.authorize(context.caller(), project: context.parameters.id(), .manager, to: "remediating work")
            let selection = try await request.decodeBody(as: RemediationSelection.self)
            return try Response.json(try await service.remediate(projectId: context.parameters.id(), selection: selection, by: context.caller()),
                                     status: .created)
        }
        registerCohorts(on: api)
    }

    private func registerStanding(on api: RouterGroup<SwathRequestContext>) {
        api.get("projects/{id}/standings") { _, context in
            try Response.json(try await service.standings(projectId: context.parameters.id(), by: context.caller()))
        }
        api.put("projects/{id}/annotators/{userId}/standing") { request, context in
            try await service.authorize(context.caller(), project: context.parameters.id(), .manager, to: "changing annotators' standing")
            let change = try await request.decodeBody(as: StandingChange.self)
            return try Response.json(try await service.setStanding(projectId: context.parameters.id(), userId: context.parameters.id("userId"),
                                                                   state: change.state, reason: change.reason, by: context.caller()))
        }
        api.get("projects/{id}/me") { _, context in
            try Response.json(try await service.annotatorPage(projectId: context.parameters.id(), for: context.caller()))
        }
        api.put("tasks/{id}/qualification") { request, context in
            try await service.authorize(context.caller(), task: context.parameters.id(), .manager, to: "choosing qualification tasks")
            let mark = try await request.decodeBody(as: QualificationMark.self)
            try await service.setQualificationTask(taskId: context.parameters.id(), qualification: mark.qualification, by: context.caller())
            let taskId = try context.parameters.id()
            return Response.json(JSONValue.object(["taskId": .number(Double(taskId)), "qualification": .bool(mark.qualification)]))
        }
    }

    private func registerPay(on api: RouterGroup<SwathRequestContext>) {
        api.get("me/earnings") { request, context in
            let period = try Self.period(request, defaultDays: 31, now: service.currentDate)
            return try Response.json(try await service.earnings(period: period, for: context.caller()))
        }
        api.get("projects/{id}/payroll") { request, context in
            try await service.authorize(context.caller(), project: context.parameters.id(), .manager, to: "reading the payroll")
            let statement = try await service.payroll(projectId: context.parameters.id(), period: try Self.period(request, defaultDays: 31, now: service.currentDate),
                                                      by: context.caller())
            switch request.uri.queryParameters.get("format") ?? "json" {
            case "json": return try Response.json(statement)
            case "csv":
                return Response(status: .ok, headers: [.contentType: "text/csv; charset=utf-8"],
                                body: .init(byteBuffer: ByteBuffer(string: statement.csv)))
            case let other: throw LabelingError.invalid("format must be json or csv, got '\(other.prefix(16))'")
            }
        }
        api.get("projects/{id}/payouts") { _, context in
            try Response.json(try await service.payouts(projectId: context.parameters.id(), by: context.caller()))
        }
        api.post("projects/{id}/payouts") { request, context in
            try await service.authorize(context.caller(), project: context.parameters.id(), .manager, to: "closing pay periods")
            let body = try await request.decodeBody(as: PeriodRequest.self)
            let period = try PayPeriod(from: body.from, to: body.to)
            return try Response.json(try await service.closePayout(projectId: context.parameters.id(), period: period, by: context.caller()),
                                     status: .created)
        }
    }

    private func registerCohorts(on api: RouterGroup<SwathRequestContext>) {
        api.get("cohorts") { _, context in try Response.json(try await service.cohorts(by: context.caller())) }
        api.post("cohorts") { request, context in
            try service.authorizeAdmin(context.caller(), to: "creating cohorts")
            let body = try await request.decodeBody(as: CreateCohortRequest.self)
            return try Response.json(try await service.createCohort(codename: body.codename, vendor: body.vendor, by: context.caller()),
                                     status: .created)
        }
        api.put("users/{id}/cohort") { request, context in
            try service.authorizeAdmin(context.caller(), to: "placing annotators in cohorts")
            let body = try await request.decodeBody(as: CohortPlacement.self)
            try await service.setCohort(userId: context.parameters.id(), cohortId: body.cohortId, by: context.caller())
            let userId = try context.parameters.id()
            let cohort: JSONValue = body.cohortId.map { .number(Double($0)) } ?? .null
            return Response.json(JSONValue.object(["userId": .number(Double(userId)), "cohortId": cohort]))
        }
    }

    /// `from` and `to` days from the query (both included); the last `defaultDays` days up to today when both are absent.
    static func period(_ request: Request, defaultDays: Int, now: Date) throws -> PayPeriod {
        let query = request.uri.queryParameters
        let today = UTCDay.string(now)
        let from = query.get("from") ?? UTCDay.string(now.addingTimeInterval(-Double(defaultDays - 1) * 86_400))
        return try PayPeriod(from: from, to: query.get("to") ?? today)
    }
}
