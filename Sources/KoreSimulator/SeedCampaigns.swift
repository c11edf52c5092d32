import JSONCore

/// The campaigns every tenant's store starts with: the `data` objects of the sample responses in Kore.ai's five source
/// pages, copied verbatim so the ids stay exactly as published.
///
/// They live in Swift source rather than a resource bundle so the simulator works from a statically linked binary
/// with nothing beside it.
enum SeedCampaigns {
    /// The parsed seed records, in page order. A seed that failed to parse would be missing here, which the tests catch.
    static let records: [CampaignRecord] = sources.compactMap { source in
        guard case .object(var document)? = try? JSONReader.parse(source.json) else { return nil }
        if let mode = document["dialingMode"]?.stringValue, mode == "Progressive" || mode == "Preview" {
            // Kore.ai requires a queue for these modes and never echoes it, so the pages cannot show one; the record
            // holds the queue their requests and list samples name. No record answer shows it (only the list, as
            // `connection`), so every answer stays the page's sample.
            document["queue_name"] = .string(defaultQueue)
        }
        return CampaignRecord(document: document, type: source.type)
    }

    /// The queue Kore.ai's progressive and preview samples name (seed 004's request, the list pages' `connection`).
    static let defaultQueue = "Default Queue"

    /// Each seed's JSON and the type its page documents.
    private static let sources: [(json: String, type: SimulatedCampaignType)] = [
        (voiceBillingReminderV1Delete, .voice),
        (voiceServiceRenewalV2Delete, .voice),
        (smsInteractiveSupportV1Delete, .sms),
        (smsBillingAlertV2Delete, .sms),
        (voiceBillingReminderV1Update, .voice),
    ]

    /// Seed 000 (delete voice campaign, v1).
    private static let voiceBillingReminderV1Delete = #"""
    {
      "_id": "cd-2129073-58d9-44d5-a5d1-454b1220xxxx",
      "name": "Billing Reminder Voice Campaign2",
      "lname": "billing reminder voice campaign2",
      "description": "Progressive dialing campaign to notify customers about pending bill payments. Connects to an agent if available; otherwise, a voice bot shares payment details",
      "priority": "5",
      "dialingMode": "Preview",
      "dialingStrategy": {"callerId": {"phoneNumber": "+18123456789"}, "callingHours": {"frequency": "WEEKLY", "days": [{"start": "9:00 AM", "end": "6:00 PM", "day": "MO"}, {"start": "9:00 AM", "end": "6:00 PM", "day": "TU"}, {"start": "9:00 AM", "end": "6:00 PM", "day": "WE"}, {"start": "9:00 AM", "end": "6:00 PM", "day": "TH"}, {"start": "9:00 AM", "end": "6:00 PM", "day": "FR"}], "timezone": "Asia/Kolkata"}, "dialingOrder": "FIFO", "maxAttemptsPerRecord": 3, "defaultRetryPeriod": 10, "maxRingTime": 30},
      "status": "Stopped",
      "maxSkips": 1,
      "createdAt": "2025-06-26T09:11:00.612Z",
      "updatedAt": "2025-06-26T11:41:42.569Z",
      "schedule": {"isSchedulingEnabled": false, "isRecurrenceEnabled": false},
      "campaignInstanceId": "cid-700c76d-6bb6-47ce-b2d0-58541769xxxx",
      "contactLists": ["Recent Buyers - Q2 2025"],
      "enableMachineDetect": false
    }
    """#

    /// Seed 001 (delete voice campaign, v2).
    private static let voiceServiceRenewalV2Delete = #"""
    {
      "_id": "cd-a1e45a7-e8ba-4e97-a339-476ebc7xxxxx",
      "name": "Service Renewal Outreach Campaign61",
      "lname": "service renewal outreach campaign61",
      "description": "Connects customers with live agents to assist with upcoming service renewals using progressive dialing. Ensures personalized support and improved engagement.",
      "dncLists": {"id": "cl-68b802a-2b99-4245-8eea-6d322a8xxxxx", "name": "DNC CL Dec 4"},
      "priority": "5",
      "dialingMode": "Progressive",
      "dialingStrategy": {"callerId": {"phoneNumber": "+181633xxxxx"}, "callingHours": {"frequency": "WEEKLY", "days": [{"start": "9:00 AM", "end": "6:00 PM", "day": "MO"}, {"start": "9:00 AM", "end": "6:00 PM", "day": "TU"}, {"start": "9:00 AM", "end": "6:00 PM", "day": "WE"}, {"start": "9:00 AM", "end": "6:00 PM", "day": "TH"}, {"start": "9:00 AM", "end": "6:00 PM", "day": "FR"}], "timezone": "Asia/Kolkata"}, "dialingOrder": "FIFO", "maxAttemptsPerRecord": 3, "defaultRetryPeriod": 10, "maxRingTime": 30, "useSystemMappings": false},
      "status": "Ready",
      "isFiltersEnabled": false,
      "createdAt": "2025-12-04T10:50:56.762Z",
      "updatedAt": "2025-12-05T06:31:23.308Z",
      "schedule": {"isSchedulingEnabled": false, "isRecurrenceEnabled": false},
      "contactLists": ["CL Only 2020 Dec 4"]
    }
    """#

    /// Seed 002 (delete SMS campaign, v1).
    private static let smsInteractiveSupportV1Delete = #"""
    {
      "_id": "cd-3aefda80-f98e-5f4f-ad41-92803abbxxxx",
      "name": "Interactive Support SMS Campaign",
      "lname": "interactive support sms campaign",
      "description": "This campaign sends an SMS with a link or instructions to interact with a Kore.ai bot. Customers can check order status, raise tickets, or get help—all via chat-enabled SMS.",
      "priority": "5",
      "format": "advanced",
      "dialingStrategy": {"callerId": {"phoneNumber": "+91987654321"}, "callingHours": {"frequency": "WEEKLY", "timezone": "Asia/Kolkata", "days": [{"day": "MO", "start": "9:00 AM", "end": "6:00 PM"}, {"day": "TU", "start": "9:00 AM", "end": "6:00 PM"}, {"day": "WE", "start": "9:00 AM", "end": "6:00 PM"}, {"day": "TH", "start": "9:00 AM", "end": "6:00 PM"}, {"day": "FR", "start": "9:00 AM", "end": "6:00 PM"}]}},
      "experienceFlow": "cf-67447605-115e-5dd2-a676-e158cf3bxxxx",
      "status": "Stopped",
      "createdAt": "2025-06-27T09:25:53.320Z",
      "updatedAt": "2025-06-27T09:31:56.940Z",
      "schedule": {"isSchedulingEnabled": false, "isRecurrenceEnabled": false},
      "campaignInstanceId": "cid-xxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx",
      "contactLists": ["Renewal Due - May/June 2025"]
    }
    """#

    /// Seed 003 (delete SMS campaign, v2).
    private static let smsBillingAlertV2Delete = #"""
    {
      "_id": "cd-213cc43a-a340-5b89-a256-ff8da28xxxxx",
      "name": "Billing Alert Template Campaign-21212",
      "lname": "billing alert template campaign-21212",
      "description": "Uses a pre-approved message template to alert customers about pending bills. Includes dynamic fields for customer name, due date, and bill amount",
      "status": "Ready",
      "dncLists": {"name": "testdnc"},
      "priority": "5",
      "dialingStrategy": {"callerId": {"phoneNumber": "+9195616xxxxx"}, "callingHours": {"frequency": "WEEKLY", "timezone": "Asia/Kolkata", "days": [{"day": "MO", "start": "9:00 AM", "end": "6:00 PM"}, {"day": "TU", "start": "9:00 AM", "end": "6:00 PM"}, {"day": "WE", "start": "9:00 AM", "end": "6:00 PM"}, {"day": "TH", "start": "9:00 AM", "end": "6:00 PM"}, {"day": "FR", "start": "9:00 AM", "end": "6:00 PM"}]}},
      "message": {"template_name": "Welcome", "message": "R3JlZXRpbmdzLCA8Rmlyc3QgTmFtZT4hIFdlJ3JlIHRocmlsbGVkIHRvIGhhdmUgeW91IGpvaW4gdXMuIEFjY2VzcyBvdXIgdG9wIHRocmVlIGJlZ2lubmVyJ3MgdGlwcyBieSBjbGlja2luZyBvbiB0aGlzIGxpbms6IGh0dHBzOi8veW91cndlYnNpdGUuY29tL3RpcHMuIElmIHlvdSBoYXZlIGFueSBpbnF1aXJpZXMsIGRvbid0IGhlc2l0YXRlIHRvIHNlbmQgdXMgYSByZXBseSByaWdodCBoZXJxxxxx", "templateId": "cmt-88fcd16f-bdb2-4d4d-8a2c-0324c7fxxxxx"},
      "isImported": false,
      "isFiltersEnabled": false,
      "createdAt": "2025-12-08T07:09:14.523Z",
      "updatedAt": "2025-12-08T07:09:31.423Z",
      "schedule": {"isSchedulingEnabled": false, "isRecurrenceEnabled": false},
      "contactLists": ["CL Only 2020 Dec 4"],
      "format": "simple"
    }
    """#

    /// Seed 004 (update voice campaign, v1).
    /// The page answers with `id`; the store keeps every record under `_id` like the other four.
    private static let voiceBillingReminderV1Update = #"""
    {
      "_id": "cd-dcebc67-d981-4469-b220-5a4ea567xxxx",
      "name": "Billing Reminder Voice Campaign",
      "lname": "billing reminder voice campaign",
      "description": "Progressive dialing campaign to notify customers about pending bill payments. Connects to an agent if available; otherwise, a voice bot shares payment details",
      "priority": "5",
      "dialingMode": "Preview",
      "dialingStrategy": {"callerId": {"phoneNumber": "+1123456789"}, "callingHours": {"frequency": "WEEKLY", "days": [{"start": "9:00 AM", "end": "6:00 PM", "day": "MO"}, {"start": "9:00 AM", "end": "6:00 PM", "day": "TU"}, {"start": "9:00 AM", "end": "6:00 PM", "day": "WE"}, {"start": "9:00 AM", "end": "6:00 PM", "day": "TH"}, {"start": "9:00 AM", "end": "6:00 PM", "day": "FR"}], "timezone": "Asia/Kolkata"}, "dialingOrder": "FIFO", "maxAttemptsPerRecord": 3, "defaultRetryPeriod": 10, "maxRingTime": 30},
      "status": "Ready",
      "maxSkips": 1,
      "createdAt": "2025-06-26T11:04:17.130Z",
      "updatedAt": "2025-06-26T11:08:55.828Z",
      "schedule": {"isSchedulingEnabled": false, "isRecurrenceEnabled": false},
      "contactLists": ["Recent Buyers - Q2 2025"],
      "enableMachineDetect": false
    }
    """#
}
