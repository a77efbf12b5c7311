/** The demo catalog's data: every category's row table, copy and variant SKU scheme. */
import {
  article,
  book,
  cap,
  type Category,
  headphone,
  laptop,
  monitor,
  phone,
  shoe,
  tee,
} from "./_seed_rows.ts";

export const CATEGORIES: readonly Category[] = [
  {
    name: "laptops",
    prefix: "LAP",
    sellsVariants: (a) => `${a.ram_gb}-${a.storage_gb}`,
    label: (a) => `${a.ram_gb} GB RAM / ${a.storage_gb} GB SSD`,
    intro: (r, a) =>
      `The ${r.name} pairs an ${a.cpu} with ${a.ram_gb} GB of memory and a ${a.screen_in}-inch display in a ${a.weight_kg} kg chassis.`,
    // deno-fmt-ignore
    rows: [
      laptop("Lenovo", "Lenovo ThinkPad X1 Carbon Gen 12", 189900, "Intel Core Ultra 7 155U", 14, 1.09, [[32, 1024], [16, 512], [64, 2048]], ["business", "ultralight", "thinkpad"], "Its carbon-fibre lid, spill-resistant keyboard and all-day battery make it a favourite of people who work on the road."),
      laptop("Lenovo", "Lenovo ThinkPad T14s Gen 5", 144900, "Intel Core Ultra 5 135U", 14, 1.24, [[16, 512], [32, 1024]], ["business", "thinkpad"], "MIL-STD-810H testing, a privacy shutter and a TrackPoint keep it a dependable office workhorse."),
      laptop("Lenovo", "Lenovo ThinkPad X1 Yoga Gen 8", 174900, "Intel Core i7-1355U", 14, 1.38, [[16, 512], [32, 1024]], ["business", "2-in-1", "thinkpad"], "The 360-degree hinge and garaged pen turn it from a laptop into a tablet for sketching and signing."),
      laptop("Lenovo", "Lenovo ThinkPad E14 Gen 5", 79900, "AMD Ryzen 5 7530U", 14, 1.41, [[16, 512]], ["business", "value", "thinkpad"], "An aluminium top cover and a full-size keyboard bring ThinkPad reliability to a smaller budget."),
      laptop("Lenovo", "Lenovo ThinkPad P16s Gen 2", 159900, "AMD Ryzen 7 PRO 7840U", 16, 1.82, [[32, 1024], [64, 2048]], ["workstation", "thinkpad"], "ISV certifications and a colour-accurate panel make it a mobile workstation for CAD and data work."),
      laptop("Dell", "Dell XPS 13 9340", 129900, "Intel Core Ultra 7 155H", 13.4, 1.19, [[16, 512], [32, 1024]], ["ultralight", "premium"], "A seamless glass touchpad and edge-to-edge keyboard give it one of the cleanest designs around."),
      laptop("Dell", "Dell Latitude 7440", 137900, "Intel Core i5-1345U", 14, 1.36, [[16, 512], [16, 256]], ["business"], "Smart-card reader, Wi-Fi 6E and remote management tools are built in for corporate fleets."),
      laptop("Apple", "Apple MacBook Air 13 M3", 109900, "Apple M3", 13.6, 1.24, [[16, 256], [16, 512], [24, 1024]], ["ultralight", "macos"], "The fanless design runs silently while the Liquid Retina display stays bright outdoors."),
      laptop("Apple", "Apple MacBook Pro 14 M3 Pro", 199900, "Apple M3 Pro", 14.2, 1.61, [[18, 512], [36, 1024]], ["premium", "creator", "macos"], "A mini-LED XDR screen and up to 18 hours of battery suit photo and video editing away from a desk."),
      laptop("HP", "HP EliteBook 840 G10", 134900, "Intel Core i7-1365U", 14, 1.36, [[16, 512], [32, 512]], ["business"], "HP Wolf Security and a 5 MP camera with auto-framing cover both safety and video calls."),
      laptop("HP", "HP Pavilion Aero 13", 74900, "AMD Ryzen 7 7735U", 13.3, 0.99, [[16, 512]], ["ultralight", "value"], "At under a kilogram it is one of the lightest 13-inch laptops you can buy at this price."),
      laptop("Asus", "Asus Zenbook 14 OLED", 99900, "Intel Core Ultra 7 155H", 14, 1.2, [[16, 1024], [32, 1024]], ["oled", "creator"], "Its 3K OLED panel covers the full DCI-P3 gamut with deep blacks for film and photos."),
    ],
  },
  {
    name: "phones",
    prefix: "PHN",
    label: (a) => `${a.storage_gb} GB, ${a.color}`,
    intro: (r, a) =>
      `The ${r.name} has a ${a.screen_in}-inch display, ${
        a["5g"] ? "5G connectivity" : "4G LTE connectivity"
      } and ${a.storage_gb} GB of storage.`,
    // deno-fmt-ignore
    rows: [
      phone("Apple", "Apple iPhone 15 Pro", 99900, 6.1, true, [[128, "Natural Titanium"], [256, "Natural Titanium"], [256, "Black Titanium"]], ["flagship", "ios"], "A titanium frame, the A17 Pro chip and a 48 MP main camera make it Apple's most capable compact phone."),
      phone("Apple", "Apple iPhone 15", 79900, 6.1, true, [[128, "Blue"], [128, "Pink"], [256, "Black"]], ["ios"], "The Dynamic Island and USB-C port arrive on the standard model alongside a sharper 48 MP camera."),
      phone("Samsung", "Samsung Galaxy S24 Ultra", 129900, 6.8, true, [[256, "Titanium Gray"], [512, "Titanium Black"]], ["flagship", "android", "stylus"], "The built-in S Pen and 200 MP camera with 5x optical zoom suit note-takers and photographers alike."),
      phone("Samsung", "Samsung Galaxy S24", 79900, 6.2, true, [[128, "Onyx Black"], [256, "Cobalt Violet"]], ["android"], "Galaxy AI features such as live translation run on a compact body that fits in one hand."),
      phone("Samsung", "Samsung Galaxy A15 5G", 19900, 6.5, true, [[128, "Blue Black"]], ["android", "value"], "A large Super AMOLED screen and a two-day battery cover the essentials at an entry price."),
      phone("Samsung", "Samsung Galaxy Z Flip5", 99900, 6.7, true, [[256, "Mint"], [512, "Graphite"]], ["android", "foldable"], "The larger Flex Window lets you reply to messages and frame selfies without opening the phone."),
      phone("Google", "Google Pixel 8 Pro", 99900, 6.7, true, [[128, "Obsidian"], [256, "Bay"]], ["flagship", "android"], "Seven years of OS updates and the Tensor G3 camera tricks make it a long-lived flagship."),
      phone("Google", "Google Pixel 8a", 49900, 6.1, true, [[128, "Bay"], [128, "Porcelain"], [256, "Obsidian"]], ["android", "value"], "It brings the Pixel's computational photography and Magic Eraser to a mid-range price."),
      phone("OnePlus", "OnePlus 12", 79900, 6.82, true, [[256, "Flowy Emerald"], [512, "Silky Black"]], ["android", "fast-charging"], "80 W wired charging fills the 5,400 mAh battery in about half an hour."),
      phone("Motorola", "Motorola Moto G Play 2024", 14999, 6.5, false, [[64, "Sapphire Blue"]], [
        "android",
        "value",
      ], "A 5,000 mAh battery and a 90 Hz screen make it a sensible first phone or spare."),
      phone("Sony", "Sony Xperia 10 V", 44900, 6.1, true, [[128, "Lavender"], [128, "Black"]], ["android", "lightweight"], "At 159 grams it keeps a headphone jack and a microSD slot that most rivals have dropped."),
    ],
  },
  {
    name: "headphones",
    prefix: "HDP",
    label: (a) => String(a.color),
    intro: (r, a) => {
      const extras = [
        ...(a.anc ? ["active noise cancelling"] : []),
        ...(a.wireless ? [`up to ${a.battery_h} hours of battery`] : []),
      ];
      const kind = a.wireless ? "wireless" : "wired";
      const tail = extras.length > 0 ? ` with ${extras.join(" and ")}` : "";
      return `The ${r.name} are ${a.form} ${kind} headphones${tail}.`;
    },
    // deno-fmt-ignore
    rows: [
      headphone("Sony", "Sony WH-1000XM5", 39900, "over-ear", true, true, 30, ["Black", "Silver", "Midnight Blue"], ["noise-cancelling", "travel"], "Eight microphones and two processors keep cabin noise and voices out on long flights."),
      headphone("Bose", "Bose QuietComfort Ultra Headphones", 42900, "over-ear", true, true, 24, ["Black", "White Smoke"], ["noise-cancelling", "spatial-audio", "travel"], "Immersive Audio widens the soundstage while CustomTune calibrates cancellation to your ears."),
      headphone("Apple", "Apple AirPods Pro (2nd generation)", 24900, "in-ear", true, true, 6, ["White"], ["noise-cancelling", "ios"], "Adaptive Audio blends transparency and cancellation automatically as your surroundings change."),
      headphone("Sennheiser", "Sennheiser Momentum 4 Wireless", 34900, "over-ear", true, true, 60, ["Black", "White"], ["noise-cancelling", "long-battery"], "Sixty hours of playback means most people charge them about once every two weeks."),
      headphone("Sony", "Sony WF-1000XM5", 29900, "in-ear", true, true, 8, ["Black", "Platinum Silver"], ["noise-cancelling"], "Smaller shells and foam tips improve both comfort and passive isolation over the previous model."),
      headphone("Bose", "Bose QuietComfort Earbuds II", 27900, "in-ear", true, true, 6, ["Triple Black", "Soapstone"], ["noise-cancelling"], "Three sizes of ear tips and stability bands give a secure seal during workouts and commutes."),
      headphone("JBL", "JBL Tune 510BT", 4995, "on-ear", true, false, 40, ["Black", "Blue", "White"], ["value"], "JBL Pure Bass sound and five-minute quick charging deliver a lot for very little."),
      headphone("Audio-Technica", "Audio-Technica ATH-M50x", 14900, "over-ear", false, false, 0, ["Black", "White"], ["studio"], "Detachable cables and swivelling ear cups have made them a studio-monitoring staple for years."),
      headphone("Sennheiser", "Sennheiser HD 600", 39900, "over-ear", false, false, 0, ["Black"], [
        "audiophile",
        "open-back",
      ], "The open-back design gives a natural, spacious sound that mixing engineers rely on."),
      headphone("Anker", "Anker Soundcore Life Q30", 7999, "over-ear", true, true, 40, ["Black", "Blue"], ["noise-cancelling", "value"], "Hybrid noise cancelling with three modes is rare at this price, and the app offers a custom EQ."),
      headphone("Beats", "Beats Studio Pro", 34999, "over-ear", true, true, 40, ["Black", "Sandstone", "Deep Brown"], ["noise-cancelling", "ios"], "USB-C lossless audio and one-touch pairing work with both iPhone and Android."),
      headphone("Sony", "Sony MDR-7506", 9999, "over-ear", false, false, 0, ["Black"], ["studio"], "A coiled cable and folding design have kept it in broadcast booths since the early nineties."),
      headphone("Apple", "Apple EarPods with USB-C", 1900, "in-ear", false, false, 0, ["White"], [
        "value",
        "ios",
      ], "An inline remote controls music and calls, and the shape sits comfortably without tips."),
    ],
  },
  {
    name: "monitors",
    prefix: "MON",
    label: (a) => `${a.stand} stand`,
    intro: (r, a) =>
      `The ${r.name} is a ${a.size_in}-inch ${a.panel} monitor with a ${a.resolution} resolution at ${a.refresh_hz} Hz.`,
    // deno-fmt-ignore
    rows: [
      monitor("Dell", "Dell UltraSharp U2723QE", 57999, 27, 60, "IPS", "3840x2160", ["Height-adjustable", "No"], ["office", "usb-c", "4k"], "IPS Black technology doubles the contrast of ordinary IPS, and a USB-C hub charges your laptop at 90 W."),
      monitor("Dell", "Dell S2721DGF", 29999, 27, 165, "IPS", "2560x1440", ["Height-adjustable"], [
        "gaming",
      ], "Fast IPS response and FreeSync Premium Pro keep fast games smooth and tear-free."),
      monitor("LG", "LG 27GP850-B UltraGear", 34999, 27, 180, "IPS", "2560x1440", ["Height-adjustable"], ["gaming"], "Nano IPS colour and a 1 ms response time suit both competitive play and casual editing."),
      monitor("LG", "LG UltraFine 32UN880-B Ergo", 69999, 31.5, 60, "IPS", "3840x2160", ["Clamp arm", "Height-adjustable"], ["office", "usb-c", "4k"], "The clamp-on arm frees desk space and lets the screen extend, swivel and pivot."),
      monitor("Samsung", "Samsung Odyssey Neo G9", 129999, 49, 240, "VA", "5120x1440", ["Height-adjustable"], ["gaming", "ultrawide"], "A 1000R curve wraps the equivalent of two 27-inch screens around your field of view."),
      monitor("Samsung", "Samsung Odyssey OLED G8", 109999, 34, 175, "OLED", "3440x1440", ["Height-adjustable"], ["gaming", "ultrawide", "oled"], "QD-OLED pixels deliver near-instant response and perfect blacks for dark scenes."),
      monitor("HP", "HP E24 G5", 21900, 23.8, 75, "IPS", "1920x1080", ["Height-adjustable", "VESA only"], ["office"], "Eye Ease filtering cuts blue light without shifting colours during long workdays."),
      monitor("Lenovo", "Lenovo ThinkVision T27h-30", 34900, 27, 60, "IPS", "2560x1440", ["Height-adjustable"], ["office", "usb-c"], "A single USB-C cable carries video, data, Ethernet and 90 W of power to a ThinkPad."),
      monitor("Asus", "Asus ProArt PA278QV", 29900, 27, 75, "IPS", "2560x1440", ["Height-adjustable"], ["creator"], "Factory calibration to Delta E below 2 gives accurate colour straight out of the box."),
      monitor("Apple", "Apple Studio Display", 159900, 27, 60, "IPS", "5120x2880", ["Tilt-adjustable", "Tilt- and height-adjustable", "VESA mount"], ["creator", "5k", "macos"], "A 12 MP Center Stage camera and six-speaker audio are built into the aluminium enclosure."),
      monitor("AOC", "AOC 24G2 Gaming Monitor", 14999, 23.8, 144, "IPS", "1920x1080", ["Height-adjustable"], ["gaming", "value"], "It is a popular first high-refresh monitor thanks to its accurate colours and low price."),
    ],
  },
  {
    name: "shoes",
    prefix: "SHO",
    label: (a) => String(a.color),
    intro: (r, a) =>
      `The ${r.name} is a ${
        a.gender === "unisex" ? "unisex" : `${a.gender}'s`
      } ${a.surface} shoe available in EU sizes ${a.size_eu_min} to ${a.size_eu_max}.`,
    // deno-fmt-ignore
    rows: [
      shoe("Nike", "Nike Pegasus 41", 14000, "road", "men", [38, 49], ["Black/White", "Photon Dust", "Volt"], ["running", "daily-trainer"], "ReactX foam and two Air Zoom units give a springy ride for easy miles and tempo runs."),
      shoe("Nike", "Nike Air Force 1 '07", 11500, "street", "unisex", [35, 50], ["White", "Black"], ["lifestyle", "classic"], "The 1982 basketball icon keeps its stitched leather overlays and Air cushioning."),
      shoe("Nike", "Nike Vaporfly 3", 26000, "road", "unisex", [36, 48], ["Volt/Black", "White/Blue"], ["running", "racing", "carbon-plate"], "A full-length carbon plate and ZoomX foam are tuned for race-day speed over any distance."),
      shoe("Adidas", "Adidas Ultraboost Light", 19000, "road", "women", [36, 44], ["Cloud White", "Core Black", "Lucid Pink"], ["running", "cushioned"], "Light Boost foam is 30 percent lighter than before while keeping the trademark bounce."),
      shoe("Adidas", "Adidas Samba OG", 10000, "street", "unisex", [36, 48], ["White/Black", "Core Black"], ["lifestyle", "classic"], "Originally built for icy football pitches, its suede T-toe and gum sole are now a street staple."),
      shoe("Adidas", "Adidas Terrex Swift R3 Gore-Tex", 16000, "trail", "men", [39, 48], ["Core Black", "Grey Six"], ["hiking", "waterproof"], "A Gore-Tex membrane and Continental rubber outsole keep feet dry and planted on wet rock."),
      shoe("New Balance", "New Balance 990v6", 19999, "street", "men", [40, 49], ["Grey", "Navy"], [
        "lifestyle",
        "made-in-usa",
      ], "FuelCell foam modernises the ride of a pigskin-and-mesh design made in the USA."),
      shoe("Asics", "Asics Gel-Kayano 31", 16500, "road", "women", [35, 44], ["Black/White", "Sky Blue"], ["running", "stability"], "4D Guidance System stability supports overpronators without feeling stiff."),
      shoe("Hoka", "Hoka Speedgoat 6", 15500, "trail", "unisex", [37, 49], ["Stellar Blue", "Black/Oat"], ["running", "trail"], "Vibram Megagrip lugs and a lighter midsole make it a go-to for technical mountain trails."),
      shoe("Salomon", "Salomon Speedcross 6", 14500, "trail", "men", [40, 48], ["Black/Phantom", "Olive Night"], ["running", "trail", "mud"], "Deep chevron lugs bite into mud and soft ground where flatter soles slip."),
      shoe("Converse", "Converse Chuck Taylor All Star High Top", 6500, "street", "unisex", [35, 50], ["Black", "Optical White", "Red"], ["lifestyle", "classic", "canvas"], "Canvas uppers and a vulcanised rubber sole have barely changed in a hundred years."),
      shoe("Crocs", "Crocs Classic Clog", 4999, "street", "unisex", [36, 50], ["Black", "Bone"], [
        "casual",
        "value",
      ], "Croslite foam is light, washable and comfortable enough for a full day on your feet."),
    ],
  },
  {
    name: "books",
    prefix: "BOK",
    label: (a) => cap(String(a.format)),
    intro: (r, a) =>
      `${r.name} by ${a.author} is ${
        article(Number(a.pages))
      } ${a.pages}-page ${a.format} published in ${a.year}.`,
    // deno-fmt-ignore
    rows: [
      book("O'Reilly Media", "Designing Data-Intensive Applications", 4499, "Martin Kleppmann", 616, 2017, ["paperback", "ebook"], ["software", "databases", "bestseller"], "It explains replication, partitioning and stream processing through the trade-offs real systems make."),
      book("Pearson", "Clean Architecture", 3799, "Robert C. Martin", 432, 2017, ["paperback", "ebook"], ["software", "architecture"], "It argues for keeping business rules independent of frameworks, databases and user interfaces."),
      book("Addison-Wesley", "The Pragmatic Programmer, 20th Anniversary Edition", 4999, "David Thomas and Andrew Hunt", 352, 2019, ["hardcover", "ebook"], ["software", "career", "bestseller"], "Short, practical tips cover everything from estimating and debugging to building a career."),
      book("Addison-Wesley", "Refactoring: Improving the Design of Existing Code", 4799, "Martin Fowler", 448, 2018, ["hardcover", "ebook"], ["software"], "The second edition presents its catalogue of refactorings with JavaScript examples."),
      book("Addison-Wesley", "Domain-Driven Design", 4799, "Eric Evans", 560, 2003, ["hardcover"], ["software", "architecture"], "It introduced bounded contexts, aggregates and a ubiquitous language shared with domain experts."),
      book("O'Reilly Media", "Learning TypeScript", 3999, "Josh Goldberg", 318, 2022, ["paperback", "ebook"], ["software", "typescript"], "It walks JavaScript developers through the type system from everyday annotations to generics."),
      book("O'Reilly Media", "Database Internals", 4199, "Alex Petrov", 370, 2019, ["paperback", "ebook"], ["software", "databases"], "The first half covers B-trees and LSM storage engines, the second consensus and distributed transactions."),
      book("Ballantine Books", "Project Hail Mary", 1899, "Andy Weir", 496, 2021, ["paperback", "hardcover", "ebook"], ["fiction", "science-fiction", "bestseller"], "A lone astronaut wakes with no memory and must science his way out of an extinction-level problem."),
      book("Viking", "The Midnight Library", 1600, "Matt Haig", 304, 2020, ["paperback", "hardcover"], ["fiction"], "Between life and death, Nora Seed gets to try the lives she might have lived."),
      book("Ace", "Dune", 1099, "Frank Herbert", 896, 1965, ["paperback", "hardcover", "ebook"], ["fiction", "science-fiction", "classic"], "Politics, religion and ecology collide on the desert planet Arrakis in this landmark novel."),
      book("Avery", "Atomic Habits", 2700, "James Clear", 320, 2018, ["hardcover", "ebook"], [
        "non-fiction",
        "self-help",
        "bestseller",
      ], "It shows how tiny changes, compounded over time, produce remarkable results."),
      // Not yet public (see UNPUBLISHED): admins see them, shoppers do not.
      book("Polycart Press", "Hexagonal Commerce Handbook", 3499, "The Polycart Team", 280, 2026, ["ebook"], ["software", "architecture"], "A draft still being written: ports, adapters and contract tests for a shop's backend."),
      book("Polycart Press", "Zero-Downtime Schema Migrations", 3999, "The Polycart Team", 240, 2026, ["paperback", "ebook"], ["software", "databases"], "Scheduled for release: expand-and-contract changes that keep every order flowing."),
    ],
  },
  {
    name: "t-shirts",
    prefix: "TSH",
    sellsVariants: (a) => `${a.size}-${String(a.color).toUpperCase().replace(/[^A-Z0-9]+/g, "")}`,
    label: (a) => `${a.size} / ${a.color}`,
    intro: (r, a) =>
      `The ${r.name} is a ${a.fit}-fit ${
        a.gender === "unisex" ? "unisex" : `${a.gender}'s`
      } t-shirt in ${a.material}.`,
    // deno-fmt-ignore
    rows: [
      tee("Uniqlo", "Uniqlo Supima Cotton Crew Neck T-Shirt", 1990, "cotton", "regular", "men", ["S", "M", "L", "XL"], ["White", "Navy"], ["basics", "cotton"], "Long-staple Supima cotton keeps its shape and softness wash after wash."),
      tee("Patagonia", "Patagonia Capilene Cool Daily Shirt", 4500, "polyester", "regular", "men", ["S", "M", "L", "XL", "XXL"], ["Blue", "Black"], ["outdoor", "quick-dry"], "Recycled polyester wicks sweat and HeiQ Pure odour control keeps it fresh on the trail."),
      tee("Levi's", "Levi's Perfect Tee", 2500, "cotton", "slim", "women", ["XS", "S", "M", "L"], ["White", "Red"], ["basics", "cotton"], "A slightly cropped cut and a crew neck make it an easy everyday layer."),
      tee("Nike", "Nike Dri-FIT Legend T-Shirt", 3000, "polyester", "regular", "unisex", ["S", "M", "L", "XL"], ["Black", "Blue", "Grey"], ["sport", "quick-dry"], "Dri-FIT fabric moves sweat away from the skin so it dries faster during training."),
    ],
  },
];
