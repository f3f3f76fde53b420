"""A second, independent mixed inbox: an education office's everyday Gmail with the campaign
mail inside it (see README.md). Built without reading mailbot/ or tests/redinbox/."""
