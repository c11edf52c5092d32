import Foundation

/// Seed ids (exactly as Kore.ai's pages print them) and valid normalized bodies.
enum Samples {
    static let v1VoiceDelete = "cd-2129073-58d9-44d5-a5d1-454b1220xxxx"   // seed 000
    static let v2VoiceDelete = "cd-a1e45a7-e8ba-4e97-a339-476ebc7xxxxx"   // seed 001
    static let v1SmsDelete = "cd-3aefda80-f98e-5f4f-ad41-92803abbxxxx"    // seed 002
    static let v2SmsDelete = "cd-213cc43a-a340-5b89-a256-ff8da28xxxxx"    // seed 003
    static let v1VoiceUpdate = "cd-dcebc67-d981-4469-b220-5a4ea567xxxx"   // seed 004

    static func voiceBody(name: String = "Billing Reminder Voice Campaign", withDnc: Bool) -> [String: Any] {
        var body: [String: Any] = [
            "name": name,
            "description": "Progressive dialing campaign to notify customers about pending bill payments.",
            "contactLists": ["Recent Buyers - Q2 2025"],
            "priority": 4,
            "callerId": "+18123456789",
            "callingHours": [
                "frequency": "weekly", "timezone": "Asia/Kolkata",
                "days": [["day": "MO", "start": "09:00", "end": "18:00"], ["day": "TU", "start": "09:30", "end": "17:45"]],
            ],
            "voice": [
                "dialingMode": "preview", "dialingOrder": "fifo", "maxAttemptsPerRecord": 3, "retryPeriodMinutes": 10,
                "maxRingTimeSeconds": 30, "maxSkips": 1, "machineDetection": "off", "queueName": "Default Queue",
            ],
            "schedule": ["enabled": false, "recurrence": false],
        ]
        if withDnc { body["dncList"] = ["id": "cl-68b802a-2b99-4245-8eea-6d322a8xxxxx", "name": "DNC CL Dec 4"] }
        return body
    }

    static func smsBody(text: String = "Hello <First Name>, your bill is due.", withDnc: Bool) -> [String: Any] {
        var body: [String: Any] = [
            "name": "Billing Alert SMS",
            "description": "Alerts customers about pending bills.",
            "contactLists": ["Renewal Due - May/June 2025"],
            "priority": 5,
            "callerId": "+919876543210",
            "callingHours": [
                "frequency": "weekly", "timezone": "Asia/Kolkata",
                "days": [["day": "MO", "start": "09:00", "end": "18:00"]],
            ],
            "sms": ["format": "advanced", "experienceFlowId": "cf-67447605-115e-5dd2-a676-e158cf3bxxxx", "template": NSNull(), "text": text],
            "schedule": ["enabled": false, "recurrence": false],
        ]
        // Kore.ai v1 has no DNC lists; the gateway refuses one rather than drop it silently.
        if withDnc { body["dncList"] = ["name": "testdnc"] }
        return body
    }

    static func data(_ object: [String: Any]) -> Data {
        (try? JSONSerialization.data(withJSONObject: object)) ?? Data()
    }
}
