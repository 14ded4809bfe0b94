"""Word lists for demo data: foresight vocabulary written for this app, not taken from a corpus.

Each list is a space- or semicolon-separated string split once at import. The generator
combines them (apps/demo/text.py), so a few hundred entries give tens of thousands of
distinct theme names, titles and sentences, enough for full-text search to tell items apart.
"""


def _split(text: str, sep: str = ";") -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(sep) if part.strip())


# Theme building blocks: "<modifier> <domain>" ("Circular manufacturing"), or a pattern
# from THEME_PATTERNS. A modifier may have a variant spelling used as an alias.
MODIFIERS = _split(
    "circular; decentralised; synthetic; autonomous; ageing; urban; rural; regenerative; "
    "personalised; distributed; digital; hybrid; remote; precision; low-carbon; "
    "open-source; algorithmic; participatory; post-growth; resilient; smart; modular; "
    "plant-based; predictive; immersive; quantum; generative; sovereign; shared; "
    "community-led; zero-waste; on-demand; peer-to-peer; bio-based; adaptive; "
    "networked; decarbonised; tokenised; augmented; frugal; intergenerational; "
    "informal; platform; climate-smart; local; nomadic; collaborative; cognitive; "
    "robotic; micro; blue; green; polycentric; gig; self-sovereign; edge; "
    "space-based; cellular; wearable; conversational"
)
MODIFIER_VARIANTS = {
    "decentralised": "decentralized",
    "personalised": "personalized",
    "decarbonised": "decarbonized",
    "tokenised": "tokenized",
    "ageing": "aging",
    "urban": "city",
    "low-carbon": "low carbon",
    "open-source": "open source",
    "plant-based": "plant based",
    "peer-to-peer": "P2P",
    "on-demand": "on demand",
    "bio-based": "biobased",
    "community-led": "community led",
    "zero-waste": "zero waste",
}
DOMAINS = _split(
    "energy; mobility; manufacturing; agriculture; food systems; healthcare; education; "
    "housing; finance; insurance; retail; logistics; work; governance; democracy; "
    "media; journalism; identity; care; water management; construction; tourism; "
    "fashion; farming; fisheries; forestry; mining; banking; payments; supply chains; "
    "cities; infrastructure; public services; research; medicine; diagnostics; "
    "biotechnology; computing; connectivity; security; defence; diplomacy; trade; "
    "labour markets; pensions; welfare; philanthropy; religion; entertainment; "
    "gaming; sport; nutrition; mental health; ageing populations; childhood; "
    "migration; tax systems; transport; aviation; shipping; heating; cooling; "
    "materials; chemistry; textiles; packaging; waste; recycling; water; "
    "biodiversity; oceans; soil; climate adaptation; disaster response; policing; "
    "justice; law; advertising; marketing; design; architecture; culture; museums; "
    "libraries; publishing; music; film; childcare; elder care; loneliness; "
    "community; citizenship; elections; privacy; trust; science; space"
)
THEME_PATTERNS = _split(
    "future of {d}; {d} transition; {d} inequality; {d} automation; {d} resilience; "
    "{d} platforms; {d} regulation; {d} skills; {d} ethics; {d} sovereignty; "
    "{d} financing; {d} data; {d} innovation; {d} disruption; {d} access"
)

# Sentence building blocks.
ACTORS = _split(
    "city governments; regional utilities; small farmers; hospital networks; start-ups; "
    "insurers; central banks; logistics firms; universities; retailers; teenagers; "
    "older adults; gig workers; trade unions; investors; regulators; software vendors; "
    "public broadcasters; port authorities; housing cooperatives; pension funds; "
    "carmakers; chip makers; schools; national parliaments; activists; researchers; "
    "local councils; family businesses; migrants; landlords; tenants; energy traders; "
    "platform companies; food brands; airlines; shipping lines; mining companies; "
    "telecom operators; game studios; newsrooms; clinics; pharmacies; banks; "
    "philanthropists; city planners; farmers' cooperatives; water utilities"
)
VERBS = _split(
    "are experimenting with; are investing in; are turning away from; are scaling up; "
    "increasingly rely on; are lobbying against; have started to pilot; report rising "
    "demand for; are quietly abandoning; are rethinking; are standardising; are "
    "subsidising; now compete on; are building alliances around; are cautious about; "
    "are rapidly adopting; publish guidelines on; are redesigning services around; "
    "warn about the risks of; are outsourcing; are bringing back in-house"
)
OBJECTS = _split(
    "hydrogen buses; heat pumps; battery storage; rooftop solar; vertical farms; "
    "lab-grown meat; precision fermentation; insect protein; seaweed farming; "
    "carbon capture; green steel; low-carbon cement; lithium recycling; "
    "sodium-ion batteries; small modular reactors; geothermal heating; district heating; "
    "electric ferries; cargo bikes; autonomous shuttles; drone delivery; "
    "ride pooling; night trains; remote work hubs; four-day weeks; portable pensions; "
    "universal basic income pilots; micro-credentials; language models; AI tutors; "
    "chatbots for public services; algorithmic hiring; facial recognition; "
    "digital identity wallets; central bank digital currencies; stablecoins; "
    "buy-now-pay-later credit; open banking; parametric insurance; "
    "satellite broadband; low-orbit constellations; quantum-safe encryption; "
    "edge computing; open-source chips; repair cafes; second-hand marketplaces; "
    "refill stations; reusable packaging; textile recycling; rewilding projects; "
    "regenerative grazing; water reuse; desalination; flood barriers; cool roofs; "
    "urban forests; heat action plans; telemedicine; home dialysis; wearable sensors; "
    "genomic screening; mRNA vaccines; social prescribing; loneliness services; "
    "co-living; modular housing; 3D-printed homes; community land trusts; "
    "participatory budgeting; citizen assemblies; deepfake detection; "
    "content provenance labels; creator subscriptions; local news cooperatives; "
    "esports leagues; virtual concerts; smart glasses; brain-computer interfaces; "
    "exoskeletons; care robots; synthetic data; data trusts; federated learning; "
    "right-to-repair laws; carbon border taxes; plastic credits; biodiversity credits"
)
QUALIFIERS = _split(
    "despite high upfront costs; as energy prices swing; after a string of pilots; "
    "under pressure from investors; as labour shortages deepen; with mixed results; "
    "ahead of new regulation; as public trust erodes; to cut emissions; "
    "to reach younger customers; as supply chains shorten; after a record heatwave; "
    "while the evidence remains thin; as costs fall faster than expected; "
    "in response to ageing populations; to meet climate targets; "
    "as interest rates stay high; after a data breach; as insurers retreat; "
    "with public funding; without waiting for national rules; in smaller towns first; "
    "across several countries; as competition from Asia grows; as water gets scarce"
)
OPENERS = _split(
    "A new survey suggests that; Analysts expect that; In several regions; "
    "According to industry figures; Critics argue that; Early results show that; "
    "For the first time; Over the past decade; Interviews with practitioners reveal "
    "that; A growing number of reports indicate that; Official statistics show that; "
    "Despite scepticism; Observers note that; Pilot programmes show that"
)
CLAIMS = _split(
    "adoption has doubled in three years; costs have fallen by a third; "
    "public opinion is divided; the market is consolidating quickly; "
    "small players struggle to keep up; rules lag behind practice; "
    "demand outstrips supply; the benefits are unevenly shared; "
    "rural areas are catching up; young people lead the change; "
    "older institutions resist the shift; new business models are emerging; "
    "skills shortages slow progress; data on outcomes is scarce; "
    "early adopters report lower costs; prices remain volatile; "
    "workers are asked to retrain; insurers are pricing in new risks; "
    "cities compete to attract investment; open standards are gaining ground"
)
CONSEQUENCES = _split(
    "This could reshape; The trend puts pressure on; It raises questions about; "
    "The shift may weaken; Such moves could strengthen; This challenges; "
    "It may open new markets for; It could widen the gap in; It changes expectations of"
)
DRIVERS = _split(
    "falling technology costs; climate policy; demographic change; urbanisation; "
    "rising energy prices; consumer demand for convenience; investor pressure; "
    "labour shortages; public health concerns; geopolitical tension; "
    "digitalisation of services; cheap capital drying up; new regulation; "
    "distrust of large institutions; growing inequality; extreme weather; "
    "advances in machine learning; the search for resilience; remote work; "
    "changing values of younger generations"
)
FINDING_HEADS = _split(
    "rise of; growth of; decline of; shift to; mainstreaming of; backlash against; "
    "regulation of; consolidation of; spread of; normalisation of; experiments with; "
    "return of; scaling of; local adoption of; public funding for"
)
SITES = _split(
    "Future Signals Weekly; Urban Observer; Climate Desk; The Tech Ledger; Open Policy "
    "Review; Health Futures; Mobility Report; The Energy Brief; Work Futures Lab; "
    "Food Systems Journal; Civic Tech Digest; The Long View; Horizon Notes; "
    "Finance Frontier; Science Bulletin; Design Matters; Data & Society Review; "
    "Regional Times; The Circular Economy Post; Global Trends Monitor"
)
FIRST_NAMES = _split(
    "Ana Ben Chloe Daniel Elif Farid Grace Hugo Ines Jonas Kemi Lars Maya Nadia Omar "
    "Priya Quentin Rosa Sami Tara Uma Victor Wen Yusuf Zoe",
    " ",
)
LAST_NAMES = _split(
    "Adeyemi Berg Costa Dubois Eriksen Fischer Garcia Haddad Ito Jensen Kowalski Lopez "
    "Mensah Novak Okafor Petrov Quinn Rossi Sato Tanaka Ueda Varga Weber Yilmaz Zhang",
    " ",
)
# A word the benchmark's text search asks for, and the same word with a typo.
SEARCH_WORD = "hydrogen"
SEARCH_TYPO = "hydorgen"
