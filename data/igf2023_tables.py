"""Literal tables for generate_igf2023.py.

Real facts about IGF 2023 Kyoto (from shared/facts/IGF.md): the days and hours, the ceremonies,
the rooms' names, the eight subthemes, the Dynamic Coalitions' acronyms and names. Room
capacities and features, the Main Hall session times and titles, the DCs' request titles and
founding years, and the word lists used for invented titles and names are plausible inventions.
"""

THEMES = {"AI": "AI & Emerging Technologies", "FRAG": "Avoiding Internet Fragmentation",
          "CYBER": "Cybersecurity, Cybercrime & Online Safety", "DATA": "Data Governance & Trust",
          "DIVIDE": "Digital Divides & Inclusion", "GDG": "Global Digital Governance & Cooperation",
          "RIGHTS": "Human Rights & Freedoms", "SUST": "Sustainability & Environment"}

# label, date, open, close, breaks
DAYS = [("Day 0", "2023-10-08", "09:00", "18:00", []),
        ("Day 1", "2023-10-09", "09:00", "18:30", ["12:30-13:00"]),
        ("Day 2", "2023-10-10", "09:00", "18:30", ["12:30-13:00"]),
        ("Day 3", "2023-10-11", "09:00", "18:30", ["12:30-13:00"]),
        ("Day 4", "2023-10-12", "09:00", "18:30", ["12:30-13:00"])]
MEETING_DAYS = ["Day 1", "Day 2", "Day 3", "Day 4"]

# room_id, name, capacity, hybrid, captioning, step_free, interpretation, days (empty = all)
ROOMS = [("MAIN", "Main Hall", 800, "yes", "yes", "yes", "yes", ""),
         ("ANNEX1", "Annex Hall 1", 750, "yes", "yes", "yes", "no", ""),
         ("ANNEX2", "Annex Hall 2", 750, "yes", "yes", "yes", "no", "Day 1;Day 2;Day 3;Day 4"),
         ("WS1", "WS 1 - Room A", 300, "yes", "yes", "no", "no", ""),
         ("WS2", "WS 2 - Room B-1", 200, "yes", "yes", "yes", "no", ""),
         ("WS3", "WS 3 - Room B-2", 150, "yes", "yes", "no", "no", "Day 1;Day 2;Day 3;Day 4"),
         ("WS4", "WS 4 - Room C-1", 120, "yes", "yes", "yes", "no", ""),
         ("WS5", "WS 5 - Room C-2", 120, "yes", "no", "yes", "no", ""),
         ("WS6", "WS 6 - Room D", 100, "yes", "yes", "no", "no", "Day 1;Day 2;Day 3;Day 4"),
         ("WS7", "WS 7 - Room E", 80, "no", "no", "yes", "no", "Day 1;Day 2;Day 3;Day 4"),
         ("WS8", "WS 8 - Room F", 80, "yes", "yes", "yes", "no", "Day 1;Day 2;Day 3;Day 4"),
         ("WS9", "WS 9 - Room G", 60, "yes", "no", "no", "no", "Day 1;Day 2;Day 3;Day 4"),
         ("WS10", "WS 10 - Room I", 150, "yes", "yes", "yes", "no", ""),
         ("WS11", "WS 11 - Room J", 150, "yes", "yes", "yes", "no", ""),
         ("WS12", "WS 12 - Room K", 100, "yes", "yes", "yes", "no", "Day 1;Day 2;Day 3")]

# Main Hall, hand-written: id|type|day|start|end|themes|number of people|exclusive|title
MAIN_HALL = [row.split("|") for row in """\
HL1|high_level|Day 0|10:00|11:30|AI|5|no|High-Level Leaders Session I: Understanding AI & Emerging Technologies
HL2|high_level|Day 0|13:30|15:00|RIGHTS;CYBER|5|no|High-Level Leaders Session II: Evolving Trends in Mis- & Dis-Information
HL3|high_level|Day 0|15:30|17:00|GDG|5|no|High-Level Leaders Session III: Looking Ahead to WSIS+20
OPENING|opening|Day 1|10:30|11:00|GDG|4|yes|Opening Ceremony
HL4|high_level|Day 1|11:00|12:30|DIVIDE;SUST|5|no|High-Level Leaders Session IV: Access & Innovation for the SDGs
MAIN1|main|Day 1|14:00|15:30|AI|5|no|Main Session: Artificial Intelligence
MAIN2|main|Day 1|16:00|17:30|FRAG|5|no|Main Session: Avoiding Internet Fragmentation
MAIN3|main|Day 2|10:00|11:30|CYBER|5|no|Main Session: Cybersecurity, Trust & Safety Online
HL5|high_level|Day 2|13:30|15:00|RIGHTS|5|no|High-Level Leaders Session V: Technology and Human Rights Due Diligence
MAIN4|main|Day 2|16:00|17:30|DATA|5|no|Main Session: Data Governance & Trust
MAIN5|main|Day 3|09:30|11:00|DIVIDE|5|no|Main Session: Digital Divides & Inclusion
MAIN6|main|Day 3|14:00|15:30|GDG|5|no|Main Session: The Global Digital Compact
MAIN7|main|Day 3|16:00|17:30|RIGHTS|5|no|Main Session: Human Rights & Freedoms Online
MAIN8|main|Day 4|10:00|11:30|SUST|5|no|Main Session: Sustainability & Environment
MAIN9|main|Day 4|14:00|15:30|FRAG;DIVIDE|5|no|Main Session: Policy Networks and Best Practice Forums
MAIN10|main|Day 4|16:00|17:30|GDG|3|no|Taking Stock and Open Mic
CLOSING|closing|Day 4|17:30|18:30|GDG|4|yes|Closing Ceremony""".splitlines()]

BPF_TITLES = [("BPF on Cybersecurity", "CYBER"), ("BPF on Gender and Digital Rights", "RIGHTS"),
              ("Policy Network on Internet Fragmentation", "FRAG"),
              ("Policy Network on Meaningful Access", "DIVIDE"),
              ("Policy Network on Artificial Intelligence", "AI")]

TOPICS = {theme: topics.split("|") for theme, topics in {
    "AI": "Governing AI for Humanity|Generative AI and the Future of Work|Algorithmic Transparency and "
          "Accountability|AI in Public Services|Large Language Models and Local Languages|AI and Elections|"
          "Regulating Emerging Technologies|Quantum Computing and Internet Security",
    "FRAG": "Keeping the Internet Open and Interoperable|Internet Shutdowns and Their Costs|Technical Standards "
            "and a Unified Internet|Data Localisation and the Splinternet|Routing Security and Global "
            "Connectivity|Universal Acceptance and a Multilingual Internet|Content Regulation across Borders|"
            "DNS Abuse and Fragmentation Risks",
    "CYBER": "Protecting Children Online|Cyber Norms in Practice|Combating Ransomware Together|Online Safety "
             "by Design|The UN Cybercrime Treaty Negotiations|Securing Critical Infrastructure|Countering "
             "Online Gender-Based Violence|Cyber Capacity Building for Developing Countries",
    "DATA": "Cross-Border Data Flows with Trust|Data Protection in the Digital Economy|Digital Public "
            "Infrastructure and Data|Privacy-Enhancing Technologies|Health Data Governance|Open Data for "
            "Development|Digital Identity and Trust|Children's Data and Privacy",
    "DIVIDE": "Meaningful Connectivity for Rural Communities|Closing the Gender Digital Divide|Digital Skills "
              "for Youth|Community Networks in Practice|Affordable Access in Least Developed Countries|"
              "Accessibility for Persons with Disabilities|Local Content and Languages Online|Financing "
              "Digital Infrastructure",
    "GDG": "The Global Digital Compact and the IGF|WSIS+20 and the Future of Internet Governance|"
           "Multistakeholder Models at National Level|Strengthening the IGF Ecosystem|Parliaments and "
           "Internet Governance|Regional Cooperation on Digital Policy|Youth in Digital Policy Making|"
           "Digital Diplomacy",
    "RIGHTS": "Freedom of Expression Online|Human Rights Impact Assessments for Tech|Surveillance "
              "Technologies and Civic Space|Press Freedom in the Digital Age|Protecting Children's Rights "
              "Online|Encryption and Human Rights|Platform Accountability and Content Moderation|Digital "
              "Rights of Indigenous Peoples",
    "SUST": "Green Digital Transformation|E-Waste and the Circular Economy|Energy Use of Data Centres|Digital "
            "Tools for Climate Action|Sustainable Internet Infrastructure|Smart Agriculture and Connectivity|"
            "Disaster Resilience and Early Warning|Measuring the Footprint of the Internet"}.items()}
QUALIFIERS = [": Lessons from Asia-Pacific", ": A Multistakeholder Dialogue", " in the Global South",
              ": From Principles to Practice", ": Perspectives from Africa", ": Youth Perspectives",
              ": What Next after Kyoto?", ": Latin American Experiences"]

# type -> (title prefix, id prefix, id range, durations, number of people (min, max))
# dc_id, name, category, themes, founded, request title
DCS = [("DCAD", "Dynamic Coalition on Accessibility and Disability", "capacity", "DIVIDE;RIGHTS", 2007,
        "Accessible Digital Futures: Persons with Disabilities at the IGF"),
       ("DC-BAS", "Dynamic Coalition on Blockchain Assurance and Standardization", "output", "DATA;AI", 2023, ""),
       ("DC-Blockchain", "Dynamic Coalition on Blockchain Technologies", "output", "AI;DATA", 2016,
        "Blockchain Assurance, Standards and Trust"),
       ("DC-Children", "Dynamic Coalition on Children's Rights in the Digital Environment", "output",
        "RIGHTS;CYBER", 2007, "Children's Rights by Design in the Digital Environment"),
       ("DC3", "Dynamic Coalition on Community Connectivity", "capacity", "DIVIDE", 2014,
        "Community Connectivity: Policy Recommendations 2023"),
       ("DC-CIV", "Dynamic Coalition on Core Internet Values", "output", "FRAG;GDG", 2012,
        "Core Internet Values and the Global Digital Compact"),
       ("DC-DAIG", "Dynamic Coalition on Data and Artificial Intelligence Governance", "output", "AI;DATA",
        2023, "Data and AI Governance from the Global South"),
       ("DC-DT", "Dynamic Coalition on Data and Trust", "output", "DATA;CYBER", 2021,
        "Trust in Data: Lessons from Online Harms Regulation"),
       ("DC-DDHT", "Dynamic Coalition on Data-Driven Health Technologies", "output", "DATA;AI", 2020, ""),
       ("DC-DFI", "Dynamic Coalition on Digital Financial Inclusion", "output", "DIVIDE;DATA", 2020,
        "Digital Financial Inclusion and Consumer Protection"),
       ("DC-DH", "Dynamic Coalition on Digital Health", "output", "DATA;DIVIDE", 2019,
        "Data-Driven Health: Equity, Trust and Technology"),
       ("DC-DigitalEconomy", "Dynamic Coalition on Digital Economy", "output", "GDG;DIVIDE", 2018,
        "Platform Work and the Digital Economy"),
       ("DC-DNSI", "Dynamic Coalition on DNS Issues", "output", "FRAG;CYBER", 2015,
        "DNS Abuse and the Role of Registries"),
       ("DCE", "Dynamic Coalition on Environment", "output", "SUST", 2020,
        "Greening the Internet: Environmental Data and Policy"),
       ("DC-G4P", "Dynamic Coalition on Gaming for Purpose", "output", "AI;DIVIDE", 2021,
        "Games as Tools for Learning and Inclusion"),
       ("DC-Gender", "Dynamic Coalition on Gender and Internet Governance", "output", "RIGHTS;DIVIDE", 2008,
        "Feminist Principles and Online Gender-Based Violence"),
       ("DC-CUC", "Dynamic Coalition on Innovative Approaches to Connecting the Unconnected", "output",
        "DIVIDE;SUST", 2019, "Innovative Approaches to Connecting the Unconnected"),
       ("DC-IoT", "Dynamic Coalition on the Internet of Things", "output", "AI;CYBER", 2008,
        "IoT Security by Design: Global Good Practice"),
       ("DC-Interplanetary", "Dynamic Coalition on the Interplanetary Internet", "output", "AI;FRAG", 2021,
        "The Interplanetary Internet: Governance beyond Earth"),
       ("IRPC", "Internet Rights and Principles Coalition", "output", "RIGHTS;GDG", 2008,
        "Human Rights and Platform Responsibility in the Digital Compact"),
       ("IS3C", "Dynamic Coalition on Internet Standards, Security and Safety", "output", "CYBER;FRAG", 2020,
        "Deploying Internet Security Standards: IS3C Reports"),
       ("DCNN", "Dynamic Coalition on Network Neutrality", "output", "FRAG;RIGHTS", 2013,
        "Network Neutrality and Fair Share Debates"),
       ("DCPR", "Dynamic Coalition on Platform Responsibility", "output", "RIGHTS;DATA", 2014, ""),
       ("DC-PAL", "Dynamic Coalition on Public Access in Libraries", "capacity", "DIVIDE;RIGHTS", 2015,
        "Libraries as Public Access Points"),
       ("DC-SIG", "Dynamic Coalition on Schools of Internet Governance", "capacity", "GDG;DIVIDE", 2016,
        "Schools of Internet Governance: Curricula and Practice"),
       ("DC-SIDS", "Dynamic Coalition on Small Island Developing States in the Internet Economy", "output",
        "DIVIDE;SUST", 2015, "Resilient Connectivity for Small Island Developing States"),
       ("DC-Sustainability", "Dynamic Coalition on the Sustainability of Journalism and News Media",
        "output", "SUST;RIGHTS", 2018, "Sustaining Journalism in the Age of AI"),
       ("YCIG", "Youth Coalition on Internet Governance", "capacity", "GDG;DIVIDE", 2008,
        "Youth Voices in Internet Governance"),
       ("DC-OER", "Dynamic Coalition on Open Educational Resources", "capacity", "DIVIDE;RIGHTS", 2023,
        "Open Educational Resources for Inclusive Education"),
       ("DC-IUI", "Dynamic Coalition on Internet Universality Indicators", "output", "RIGHTS;GDG", 2020,
        "Internet Universality Indicators: National Assessments")]
REGIONS = {  # weight, time zones, female names, male names, surnames
    "Asia-Pacific": (30, ["Asia/Tokyo"] * 4 + ["Asia/Kolkata", "Asia/Singapore", "Asia/Jakarta",
                                                "Asia/Manila", "Asia/Seoul", "Pacific/Fiji"],
                     "Yuki Aiko Priya Mei Siti Ji-woo Ananya Nurul Maria Hana",
                     "Hiroshi Kenji Arjun Wei Rizal Min-jun Takeshi Rahul Jose Ali",
                     "Tanaka Suzuki Sato Sharma Chen Nguyen Santos Kim Rahman Wijaya Yamamoto Lee"),
    "WEOG": (25, ["Europe/London", "Europe/Berlin", "Europe/Paris", "America/New_York",
                  "America/Los_Angeles", "America/Toronto", "Europe/Oslo", "Australia/Sydney"],
             "Emma Sarah Laura Sophie Ingrid Claire Rachel Julia",
             "James Thomas Lukas Pierre Michael Erik David Daniel",
             "Smith Muller Dubois Johnson Larsen Brown Rossi Schmidt Williams Jansen"),
    "African": (18, ["Africa/Nairobi", "Africa/Lagos", "Africa/Johannesburg", "Africa/Cairo",
                     "Africa/Accra", "Africa/Dakar"],
                "Amina Fatou Grace Nia Zainab Chiamaka Thandiwe Aisha Mercy Wanjiru",
                "Kwame Tunde Moussa Sipho Kofi Abdoulaye Chinedu Tendai Yusuf Omar",
                "Okafor Mensah Diallo Nkosi Kamau Traore Abebe Mwangi Ndiaye Osei Banda Adeyemi"),
    "GRULAC": (15, ["America/Sao_Paulo", "America/Mexico_City", "America/Bogota",
                    "America/Argentina/Buenos_Aires", "America/Santiago", "America/Port_of_Spain"],
               "Camila Lucia Valentina Ana Fernanda Gabriela Daniela Paula",
               "Mateo Carlos Joao Diego Luis Rafael Andres Pedro",
               "Silva Gonzalez Rodriguez Pereira Fernandez Lopez Martinez Souza Ramirez Castro"),
    "Eastern European": (12, ["Europe/Warsaw", "Europe/Bucharest", "Europe/Prague", "Europe/Belgrade",
                              "Asia/Tbilisi", "Europe/Sofia"],
                         "Anna Olena Katarzyna Ioana Milica Nino Elena Petra",
                         "Andrei Piotr Oleksandr Marko Giorgi Tomas Bogdan Dmitar",
                         "Kowalski Popescu Shevchenko Petrovic Novak Horvath Beridze Dimitrov Kovac")}
NEUTRAL_NAMES = "Alex Sam Robin Kai Noor Jordan Ren Sasha".split()
