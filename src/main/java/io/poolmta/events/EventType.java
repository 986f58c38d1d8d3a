package io.poolmta.events;

/** Event kinds, with their SES names: the API's MatchingEventTypes value and the JSON eventType. */
public enum EventType {
    SEND("Send"),
    REJECT("Reject"),
    BOUNCE("Bounce"),
    COMPLAINT("Complaint"),
    DELIVERY("Delivery"),
    OPEN("Open"),
    CLICK("Click"),
    RENDERING_FAILURE("Rendering Failure"),
    DELIVERY_DELAY("DeliveryDelay"),
    SUBSCRIPTION("Subscription");

    private final String jsonName;

    EventType(String jsonName) {
        this.jsonName = jsonName;
    }

    public String jsonName() {
        return jsonName;
    }
}
