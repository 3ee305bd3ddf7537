"""The Upload data page's views (pages/data.py calls them): reading and checking each file (`files`), the
validation of what would be saved (`validation`), the preview and the save (`save`)."""
