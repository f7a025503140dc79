import Foundation
import SwathGeo
import SwathLabels

extension ReleaseDocument {
    /// The frozen dataset in the form the exporter reads: the live project is never consulted.
    func exportSource() throws -> ExportSource {
        let project = Project(id: projectId, customer: "", codename: codename, taxonomy: taxonomy, settings: ProjectSettings(),
                              createdAt: Date(timeIntervalSince1970: createdAt))
        let scenes = self.scenes.map { scene in
            Scene(id: scene.id, createdAt: Date(timeIntervalSince1970: scene.createdAt), registration: scene.registration)
        }
        let labels = try self.labels.map { label in
            Label(id: label.id, projectId: projectId, sceneId: label.sceneId, taskId: label.taskId, classId: label.classId,
                         attributes: label.attributes, geometry: try label.outline(), annotatorId: label.annotatorId,
                         source: label.source, version: label.version, previousId: label.previousId, secondsSpent: 0,
                         createdAt: Date(timeIntervalSince1970: label.createdAt), drawnArea: label.drawnArea)
        }
        let tasks = self.tasks.map { task in
            LabelTask(id: task.id, projectId: projectId, sceneId: task.sceneId, window: task.window, footprintWGS84: .null,
                      status: .accepted, assigneeId: nil, leaseExpiresAt: nil, priority: 0, updatedAt: Date(timeIntervalSince1970: createdAt))
        }
        return ExportSource(project: project, scenes: scenes, labels: labels, tasks: tasks, version: 0)
    }
}
