-- Image members (Glance v2 image sharing): the projects a 'shared' image is shared with and each
-- one's answer. Owned by dev.kiln.image (ImageMemberStore). A member row of an image that is no
-- longer 'shared' stays, without effect, as Glance keeps it, and comes back into force if the image
-- is shared again; rows go with their image.
CREATE TABLE image_member (
  image_id   VARCHAR(36) NOT NULL REFERENCES image_image (id) ON DELETE CASCADE,
  member_id  VARCHAR(255) NOT NULL,
  status     VARCHAR(16) NOT NULL,
  created_at TIMESTAMP WITH TIME ZONE NOT NULL,
  updated_at TIMESTAMP WITH TIME ZONE NOT NULL,
  PRIMARY KEY (image_id, member_id),
  CONSTRAINT image_member_status CHECK (status IN ('pending', 'accepted', 'rejected'))
);
-- Lists look a caller's memberships up by project.
CREATE INDEX image_member_member ON image_member (member_id, status);
