"""Mini-pages on ten topics, written by the team, for the bound on theme proposals.

Each topic has a few titles and sentences; `mini_pages(n)` combines them into `n` short
pages (four sentences each, in a rotating order), the way a scanning team's feed brings
many pages on the same few subjects.
"""

from itertools import cycle

from apps.classification import Page

TOPICS = {
    "vertical farming": (
        [
            "Vertical farms move into empty warehouses",
            "Indoor growers stack lettuce to the ceiling",
        ],
        [
            "Vertical farming grows salad greens in stacked trays under LED lights.",
            "The indoor growers use far less water than open fields, since the water is recycled.",
            "Vertical farming startups have opened sites next to supermarkets in three cities.",
            "Energy prices remain the main cost of the LED lights in vertical farming.",
            "Restaurants buy the herbs a few hours after harvest from the indoor growers.",
            "Investors have poured money into vertical farming, though some sites have closed.",
            "The trays of basil and lettuce never see soil or sunlight.",
        ],
    ),
    "heat pumps": (
        ["Heat pumps replace gas boilers", "Homeowners switch to heat pumps as grants grow"],
        [
            "Heat pumps take warmth from the outside air and move it into the house.",
            "Installers report long waiting lists for air source heat pumps this winter.",
            "A government grant now covers half the cost of replacing a gas boiler.",
            "Heat pumps work best in well insulated homes with large radiators.",
            "Sales of heat pumps overtook sales of gas boilers in the region last year.",
            "Electricians are retraining as heat pump installers to meet the demand.",
            "Running costs depend on the price of electricity compared with gas.",
        ],
    ),
    "microplastics": (
        ["Microplastics found in river fish", "Tiny plastic particles reach drinking water"],
        [
            "Microplastics were found in the stomachs of most fish sampled in the river.",
            "The tiny plastic particles come from tyres, clothing fibres and packaging.",
            "Water companies are testing filters that catch microplastics before the tap.",
            "Scientists still know little about what microplastics do inside the human body.",
            "Washing synthetic clothes releases thousands of plastic fibres into waste water.",
            "Researchers counted microplastics in snow samples from remote mountains.",
            "A ban on plastic microbeads in cosmetics took effect five years ago.",
        ],
    ),
    "remote work": (
        ["Offices stay half empty as remote work lasts", "Remote work reshapes the commute"],
        [
            "Many employees still work from home three days a week.",
            "Remote work has left office towers half empty on Mondays and Fridays.",
            "Companies are cutting office space and renting shared desks instead.",
            "Managers worry that remote work makes training new staff harder.",
            "Video calls have replaced most business travel between the two offices.",
            "Workers who moved to the countryside now commute to the office once a week.",
            "Some firms ask staff to return to the office, and many refuse.",
        ],
    ),
    "electric buses": (
        ["Cities order electric buses", "The last diesel bus leaves the depot"],
        [
            "The city ordered two hundred electric buses to replace its diesel fleet.",
            "Electric buses charge overnight at the depot and at the end of each route.",
            "Drivers say the electric buses are quieter and smoother than diesel buses.",
            "Battery prices have fallen, which makes electric buses cheaper to buy.",
            "The transport authority expects electric buses to cut fuel costs by a third.",
            "Cold winters shorten the range of the batteries in electric buses.",
            "Passengers notice cleaner air on the streets the electric buses serve.",
        ],
    ),
    "antibiotic resistance": (
        ["Antibiotic resistance spreads in hospitals", "Doctors run out of antibiotics that work"],
        [
            "Antibiotic resistance makes common infections harder to treat.",
            "Hospitals report more patients with bacteria that resist several antibiotics.",
            "Farmers are asked to stop giving antibiotics to healthy animals.",
            "Few companies develop new antibiotics because they earn little money.",
            "Doctors are told to prescribe antibiotics only when tests confirm an infection.",
            "Resistant bacteria travel between countries with patients and food.",
            "Health agencies call antibiotic resistance a slow pandemic.",
        ],
    ),
    "online education": (
        ["Universities put whole degrees online", "Students mix lectures at home and on campus"],
        [
            "Universities now offer whole degrees through online courses.",
            "Students watch recorded lectures at home and meet tutors on campus once a week.",
            "Online courses let working adults study in the evenings.",
            "Teachers say keeping students engaged in online classes is hard.",
            "Exam cheating has become a worry as more tests are taken online.",
            "Cheap laptops and fast broadband decide who can follow online courses.",
            "Enrolment in online degrees doubled in five years.",
        ],
    ),
    "food delivery": (
        [
            "Delivery riders fill the streets at dinner time",
            "Dark kitchens cook only for delivery apps",
        ],
        [
            "Food delivery apps bring restaurant meals to the door in half an hour.",
            "Riders on bicycles and scooters wait outside restaurants for orders.",
            "Dark kitchens cook meals only for delivery and have no dining room.",
            "Restaurants pay the delivery apps a commission on every order.",
            "Riders have protested for better pay and insurance from the apps.",
            "Groceries are now delivered in minutes from small warehouses in the city.",
            "Customers order takeaway through the apps several times a week.",
        ],
    ),
    "drought": (
        ["Drought empties the reservoirs", "Farmers ration water in the dry summer"],
        [
            "The drought has left the reservoirs at a third of their usual level.",
            "Farmers are rationing water and leaving fields unplanted this summer.",
            "A hosepipe ban covers millions of homes until the rain returns.",
            "The river has fallen so low that boats can no longer pass.",
            "Hydrologists expect dry summers like this one to become more common.",
            "Water companies are building pipelines to move water between regions.",
            "Wildfires spread quickly across the dry grassland.",
        ],
    ),
    "space tourism": (
        ["Tourists pay for a few minutes in space", "Rocket flights sell seats to the wealthy"],
        [
            "Space tourism companies sell seats on short flights above the atmosphere.",
            "Each passenger pays hundreds of thousands for a few minutes of weightlessness.",
            "The rocket lands back at the spaceport after a flight of ten minutes.",
            "Critics say space tourism burns fuel for the pleasure of a few rich people.",
            "Space tourism firms plan hotels in orbit within the decade.",
            "Passengers train for three days before their flight into space.",
            "The waiting list for space tourism flights runs into the thousands.",
        ],
    ),
}


def mini_pages(count: int) -> list[tuple[str, Page]]:
    """`count` pages, (topic, page), going round the topics."""
    pages = []
    rotations = {topic: cycle(range(7)) for topic in TOPICS}
    topics = cycle(TOPICS.items())
    for number in range(count):
        topic, (titles, sentences) = next(topics)
        start = next(rotations[topic])
        chosen = [sentences[(start + step * 2) % len(sentences)] for step in range(4)]
        title = titles[number % len(titles)]
        pages.append(
            (topic, Page(url=f"https://example.org/{number}", title=title, text=" ".join(chosen)))
        )
    return pages
