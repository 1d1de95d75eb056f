"""What visitors send the admins: requests to be contacted, reports that a listing is wrong,
and the email notices that say requests wait. No views here: public/ and admin/ hold those."""
